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

    public ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        RemoteRead.WithDeadlineAsync(Location, key, range, _timeout, ct => ReadAsync(key, range, ct), cancellationToken);

    private async ValueTask<byte[]?> ReadAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await FetchAsync(key, range, cancellationToken).ConfigureAwait(false);
            if (answer is not { } got)
            {
                return null;
            }

            if (range is { IsSuffix: true } suffix && got.Total is { } total && got.Mismatch is not null)
            {
                // The server ignored the suffix form (s3rver reads "bytes=-n" as "bytes=0-n") but told us
                // the size: ask for the exact bytes rather than fail.
                long length = Math.Min(suffix.Length, total);
                if (length == 0)
                {
                    return [];
                }

                got = await FetchAsync(key, ByteRange.FromOffset(total - length, length), cancellationToken).ConfigureAwait(false)
                    ?? throw new StoreException(Location, key, "object vanished between two range reads");
            }

            return got.Mismatch is { } mismatch ? throw new StoreException(Location, key, mismatch) : got.Bytes;
        }
        catch (Exception ex) when (ex is not StoreException and not AmazonS3Exception and not OperationCanceledException && IsNetworkFailure(ex))
        {
            throw new TransientStoreException(Location, key, $"request failed: {ex.Message}", ex);
        }
        catch (AmazonClientException ex) when (IsDigestMismatch(ex))
        {
            // The SDK checks a whole object against its ETag (the MD5 of single-part uploads): damaged on the way.
            throw new TransientStoreException(Location, key, "body does not match its MD5 digest (ETag)", ex);
        }
        catch (AmazonClientException ex)
        {
            throw new StoreException(Location, key, $"S3 client error: {ex.Message}", ex);
        }
        catch (AmazonServiceException ex)
        {
            throw new StoreException(Location, key, $"S3 service error {(int)ex.StatusCode} {ex.ErrorCode}: {ex.Message}", ex);
        }
    }

    /// <summary>One GET. Null when absent; otherwise the body, the object size if the server told it, and
    /// a description of how the answer differs from the request (null when it matches).</summary>
    private async ValueTask<Answer?> FetchAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = _prefix + key.TrimStart('/') };
        if (range is { } r)
        {
            request.ByteRange = r.IsSuffix
                ? new Amazon.S3.Model.ByteRange(r.ToHttpRange())
                : new Amazon.S3.Model.ByteRange(r.Start, r.Start + r.Length - 1);
        }

        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex)
        {
            if (IsAbsence(ex))
            {
                return null;
            }

            throw Classify(ex, key);
        }

        using (response)
        {
            string? mismatch = null;
            long? total = null;
            if (range is { } requested && response.HttpStatusCode == HttpStatusCode.PartialContent)
            {
                (mismatch, total) = CheckContentRange(requested, response.ContentRange, key);
            }

            var body = response.ResponseStream;
            await using (body.ConfigureAwait(false))
            {
                var bytes = await BodyReader.ReadExactlyAsync(body, response.ContentLength, _maxObjectBytes, Location, key, cancellationToken).ConfigureAwait(false);
                if (range is { } asked && response.HttpStatusCode == HttpStatusCode.OK)
                {
                    // Some S3 clones ignore Range altogether; cut the range out ourselves.
                    return RangeMath.TryResolve(asked, bytes.Length, out long start, out long length)
                        ? new Answer(bytes.AsSpan((int)start, (int)length).ToArray(), bytes.Length, null)
                        : null;
                }

                return new Answer(bytes, total, mismatch);
            }
        }
    }

    private readonly record struct Answer(byte[] Bytes, long? Total, string? Mismatch);

    private bool IsAbsence(AmazonS3Exception ex) =>
        (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket")
        || ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable
        || ex.ErrorCode == "InvalidRange"
        || (ex.StatusCode == HttpStatusCode.Forbidden && _deniedMeansAbsent && ex.ErrorCode == "AccessDenied");

    private StoreException Classify(AmazonS3Exception ex, string key)
    {
        var status = ex.StatusCode;
        string reason = $"S3 {(int)status} {ex.ErrorCode}: {ex.Message}";
        if ((int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
            || ex.ErrorCode is "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable")
        {
            return new TransientStoreException(Location, key, reason, ex);
        }

        return new StoreException(Location, key, reason, ex);
    }

    private (string? Mismatch, long? Total) CheckContentRange(ByteRange requested, string? header, string key)
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
        return (RangeMath.CheckContentRange(requested, from, to, total), total);
    }

    private static bool IsDigestMismatch(AmazonClientException ex)
        => ex.Message.Contains("hash not equal to calculated hash", StringComparison.OrdinalIgnoreCase);

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
