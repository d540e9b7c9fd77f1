using TileServer.Storage;

namespace TileServer.Zarr.Tests;

/// <summary>A decorator over a real store that counts requests, bytes and which keys/ranges were asked for.</summary>
internal sealed class CountingStore : IByteStore
{
    private readonly IByteStore _inner;
    private long _requests;
    private long _bytes;

    public CountingStore(IByteStore inner)
    {
        _inner = inner;
    }

    public string Location => _inner.Location;

    public long Requests => Interlocked.Read(ref _requests);

    public long Bytes => Interlocked.Read(ref _bytes);

    public System.Collections.Concurrent.ConcurrentQueue<(string Key, ByteRange? Range)> Log { get; } = new();

    public async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        Log.Enqueue((key, range));
        var result = await _inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _bytes, result?.Length ?? 0);
        return result;
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _bytes, 0);
        Log.Clear();
    }
}
