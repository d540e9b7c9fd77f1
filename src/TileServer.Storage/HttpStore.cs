using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace TileServer.Storage;

/// <summary>
/// An HTTP(S) prefix read with GET and <c>Range</c> requests, so any static file server, CDN or public
/// bucket endpoint works. 404/410 (and a bucket-style 403, which is how S3 and GCS answer a missing key
/// when listing is denied) mean absent. Transient failures raise <see cref="TransientStoreException"/>
/// for a <see cref="RetryingByteStore"/> to retry. The <see cref="HttpClient"/> is borrowed, not owned.
/// </summary>
public sealed class HttpStore : IByteStore
{
    private readonly HttpClient _client;
    private readonly string _root;
    private readonly string _query;
    private readonly TimeSpan _timeout;
    private readonly long _maxObjectBytes;
    private readonly bool _http2;

    /// <param name="root">Base URL; a query string (a signature, a SAS token) is appended to every request.</param>
    /// <param name="http2">Offer HTTP/2 (HTTPS servers that support it answer over it; the others, and http://, use HTTP/1.1).</param>
    public HttpStore(Uri root, HttpClient client, TimeSpan timeout, long maxObjectBytes, bool http2 = true)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(client);
        if (!root.IsAbsoluteUri || (root.Scheme != Uri.UriSchemeHttp && root.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{root}' is not an http(s) URL", nameof(root));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _client = client;
        _root = root.GetComponents(UriComponents.SchemeAndServer | UriComponents.UserInfo | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');
        _query = root.Query;
        _timeout = timeout;
        _maxObjectBytes = maxObjectBytes;
        _http2 = http2;
        Location = root.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');
    }

    public string Location { get; }

    public ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        RemoteRead.WithDeadlineAsync(Location, key, range, _timeout, ct => SendAsync(key, range, ct), cancellationToken);

    private async ValueTask<byte[]?> SendAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, BuildUrl(key));
            if (_http2)
            {
                request.Version = HttpVersion.Version20;
                request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
            }

            if (range is { } r)
            {
                request.Headers.Range = r.IsSuffix
                    ? new RangeHeaderValue(null, r.Length)
                    : new RangeHeaderValue(r.Start, r.Start + r.Length - 1);
            }

            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return await ReadAsync(response, key, range, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientStoreException(Location, key, $"request failed: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new TransientStoreException(Location, key, $"body broken off: {ex.Message}", ex);
        }
    }

    private async ValueTask<byte[]?> ReadAsync(HttpResponseMessage response, string key, ByteRange? range, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        if (status is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return null;
        }

        if (status == HttpStatusCode.Forbidden && IsBucketStyle(response))
        {
            return null;
        }

        if (IsTransient(status))
        {
            throw new TransientStoreException(Location, key, $"HTTP {(int)status} {response.ReasonPhrase}")
            {
                RetryAfter = RetryAfter(response.Headers.RetryAfter),
            };
        }

        if (status is not (HttpStatusCode.OK or HttpStatusCode.PartialContent))
        {
            throw new StoreException(Location, key, $"HTTP {(int)status} {response.ReasonPhrase}");
        }

        var content = response.Content;
        if (content.Headers.ContentEncoding.Any(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase)))
        {
            // Offsets refer to the stored bytes; a transcoded body would be silently wrong data.
            throw new StoreException(Location, key, $"server applied Content-Encoding '{string.Join(",", content.Headers.ContentEncoding)}'");
        }

        var body = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            if (status == HttpStatusCode.PartialContent)
            {
                return await ReadPartialAsync(body, content.Headers, key, range, cancellationToken).ConfigureAwait(false);
            }

            var whole = content.Headers.ContentLength is { } announced
                ? await BodyReader.ReadExactlyAsync(body, announced, _maxObjectBytes, Location, key, cancellationToken).ConfigureAwait(false)
                : await BodyReader.ReadToEndAsync(body, _maxObjectBytes, Location, key, cancellationToken).ConfigureAwait(false);
            if (BodyChecksum.Verify(whole, Digests(response)) is { } damaged)
            {
                throw new TransientStoreException(Location, key, damaged);
            }

            if (range is null)
            {
                return whole;
            }

            // The server ignored Range (allowed by RFC 9110): cut the range out ourselves.
            if (!RangeMath.TryResolve(range, whole.Length, out long start, out long length))
            {
                return null;
            }

            return whole.AsSpan((int)start, (int)length).ToArray();
        }
    }

    private async ValueTask<byte[]> ReadPartialAsync(Stream body, HttpContentHeaders headers, string key, ByteRange? range, CancellationToken cancellationToken)
    {
        if (range is not { } requested)
        {
            throw new StoreException(Location, key, "server answered 206 Partial Content to a request without Range");
        }

        var contentRange = headers.ContentRange;
        if (contentRange is not { HasRange: true, From: { } from, To: { } to } || !string.Equals(contentRange.Unit, "bytes", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreException(Location, key, $"206 answer without a usable Content-Range ('{contentRange}')");
        }

        if (RangeMath.CheckContentRange(requested, from, to, contentRange.Length) is { } mismatch)
        {
            throw new StoreException(Location, key, mismatch);
        }

        long expected = to - from + 1;
        if (headers.ContentLength is { } announced && announced != expected)
        {
            throw new StoreException(Location, key, $"Content-Length {announced} contradicts Content-Range {from}-{to}");
        }

        return await BodyReader.ReadExactlyAsync(body, expected, _maxObjectBytes, Location, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The digests of a whole-object answer: Content-MD5, x-goog-hash, or an S3 ETag that is an MD5.</summary>
    private static BodyChecksum.Digests Digests(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentMD5 is { Length: 16 } md5)
        {
            return new BodyChecksum.Digests(md5, null);
        }

        if (response.Headers.TryGetValues("x-goog-hash", out var googleHash))
        {
            return BodyChecksum.FromGoogleHash(googleHash);
        }

        if (response.Headers.Contains("x-amz-request-id") && response.Headers.ETag is { IsWeak: false } etag)
        {
            string? sse = response.Headers.TryGetValues("x-amz-server-side-encryption", out var values) ? values.FirstOrDefault() : null;
            bool customerKey = response.Headers.Contains("x-amz-server-side-encryption-customer-algorithm");
            return new BodyChecksum.Digests(BodyChecksum.Md5FromS3ETag(etag.Tag, sse, customerKey), null);
        }

        return default;
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>S3, GCS and their clones deny instead of 404 when listing is not allowed.</summary>
    private static bool IsBucketStyle(HttpResponseMessage response) =>
        response.Headers.Contains("x-amz-request-id")
        || response.Headers.Contains("x-guploader-uploadid")
        || response.Headers.Server.Any(s => s.Product?.Name is "AmazonS3" or "UploadServer" or "MinIO");

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private string BuildUrl(string key)
    {
        var url = new StringBuilder(_root.Length + key.Length + _query.Length + 8).Append(_root);
        foreach (var segment in key.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment is "." or "..")
            {
                throw new StoreException(Location, key, "key escapes the store root");
            }

            url.Append('/').Append(Uri.EscapeDataString(segment));
        }

        return url.Append(_query).ToString();
    }
}
