using TileServer.Storage;

namespace TileServer.Fuzz;

/// <summary>
/// A store held in memory that answers synchronously, so that everything a read allocates is charged to the calling
/// thread. Keys not in <see cref="Files"/> get <see cref="Fallback"/> when set (the fuzzed chunk or shard), else absent.
/// </summary>
public sealed class MemoryStore : IByteStore
{
    public MemoryStore(IReadOnlyDictionary<string, byte[]> files, byte[]? fallback = null)
    {
        Files = files;
        Fallback = fallback;
    }

    public IReadOnlyDictionary<string, byte[]> Files { get; }
    public byte[]? Fallback { get; }
    public string Location => "memory://fuzz";

    public ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var bytes = Files.TryGetValue(key, out var file) ? file : Fallback;
        if (bytes is null || !RangeMath.TryResolve(range, bytes.Length, out long start, out long length))
        {
            return ValueTask.FromResult<byte[]?>(null);
        }

        return ValueTask.FromResult<byte[]?>(bytes.AsSpan((int)start, (int)length).ToArray());
    }
}

/// <summary>An overlay: <see cref="Replaced"/> answers for one key, the rest comes from <see cref="Inner"/>.</summary>
public sealed class OverlayStore : IByteStore
{
    private readonly IByteStore _inner;
    private readonly string _key;
    private readonly byte[] _bytes;

    public OverlayStore(IByteStore inner, string key, byte[] bytes)
    {
        _inner = inner;
        _key = key;
        _bytes = bytes;
    }

    public string Location => _inner.Location;

    public ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
        => key == _key ? new MemoryStore(new Dictionary<string, byte[]> { [key] = _bytes }).GetAsync(key, range, cancellationToken) : _inner.GetAsync(key, range, cancellationToken);
}
