using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace TileServer.Storage;

/// <summary>
/// A prefix in an S3-compatible bucket (AWS, MinIO, R2, GCS interop). 404 NoSuchKey means absent; a
/// missing bucket, bad credentials or a denial are errors (a denial counts as absence only for
/// anonymous reads of public buckets). The client is borrowed: the factory owns and shares it.
/// </summary>
public sealed class S3Store : IByteStore
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly TimeSpan _timeout;
    private readonly long _maxObjectBytes;
    private readonly bool _deniedMeansAbsent;

    public S3Store(IAmazonS3 client, string bucket, string prefix, TimeSpan timeout, long maxObjectBytes, bool deniedMeansAbsent = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _client = client;
        _bucket = bucket;
        _prefix = string.IsNullOrEmpty(prefix) ? string.Empty : prefix.Trim('/') + "/";
        _timeout = timeout;
        _maxObjectBytes = maxObjectBytes;
        _deniedMeansAbsent = deniedMeansAbsent;
        Location = $"s3://{bucket}/{_prefix}".TrimEnd('/');
    }

    public string Location { get; }

    public async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var request = new GetObjectRequest { BucketName = _bucket, Key = _prefix + key.TrimStart('/') };
        if (range is { } r)
        {
            request.ByteRange = r.IsSuffix
                ? new Amazon.S3.Model.ByteRange(r.ToHttpRange())
                : new Amazon.S3.Model.ByteRange(r.Start, r.Start + r.Length - 1);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _client.GetObjectAsync(request, timeout.Token).ConfigureAwait(false);
            if (range is { } requested && response.HttpStatusCode == HttpStatusCode.PartialContent)
            {
                CheckContentRange(requested, response.ContentRange, key);
            }

            var body = response.ResponseStream;
            await using (body.ConfigureAwait(false))
            {
                var bytes = await BodyReader.ReadExactlyAsync(body, response.ContentLength, _maxObjectBytes, Location, key, timeout.Token).ConfigureAwait(false);
                if (range is { } asked && response.HttpStatusCode == HttpStatusCode.OK)
                {
                    // Some S3 clones ignore Range; cut the range out ourselves.
                    return RangeMath.TryResolve(asked, bytes.Length, out long start, out long length)
                        ? bytes.AsSpan((int)start, (int)length).ToArray()
                        : null;
                }

                return bytes;
            }
        }
        catch (AmazonS3Exception ex)
        {
            return Classify(ex, key);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientStoreException(Location, key, $"no complete answer within {_timeout.TotalSeconds:0.###} s", ex);
        }
        catch (Exception ex) when (ex is not StoreException && IsNetworkFailure(ex))
        {
            throw new TransientStoreException(Location, key, $"request failed: {ex.Message}", ex);
        }
        catch (AmazonClientException ex)
        {
            throw new StoreException(Location, key, $"S3 client error: {ex.Message}", ex);
        }
    }

    private byte[]? Classify(AmazonS3Exception ex, string key)
    {
        var status = ex.StatusCode;
        if (status == HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket")
        {
            return null;
        }

        if (status == HttpStatusCode.RequestedRangeNotSatisfiable || ex.ErrorCode == "InvalidRange")
        {
            return null;
        }

        if (status == HttpStatusCode.Forbidden && _deniedMeansAbsent && ex.ErrorCode == "AccessDenied")
        {
            return null;
        }

        string reason = $"S3 {(int)status} {ex.ErrorCode}: {ex.Message}";
        if ((int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
            || ex.ErrorCode is "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable")
        {
            throw new TransientStoreException(Location, key, reason, ex);
        }

        throw new StoreException(Location, key, reason, ex);
    }

    private void CheckContentRange(ByteRange requested, string? header, string key)
    {
        // Form: "bytes from-to/total" (total may be "*").
        if (header is null || !header.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreException(Location, key, $"206 answer without a usable Content-Range ('{header}')");
        }

        var span = header.AsSpan(6);
        int dash = span.IndexOf('-');
        int slash = span.IndexOf('/');
        if (dash < 0 || slash < dash
            || !long.TryParse(span[..dash], out long from)
            || !long.TryParse(span[(dash + 1)..slash], out long to))
        {
            throw new StoreException(Location, key, $"malformed Content-Range '{header}'");
        }

        long? total = long.TryParse(span[(slash + 1)..], out long t) ? t : null;
        if (RangeMath.CheckContentRange(requested, from, to, total) is { } mismatch)
        {
            throw new StoreException(Location, key, mismatch);
        }
    }

    private static bool IsNetworkFailure(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or SocketException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
