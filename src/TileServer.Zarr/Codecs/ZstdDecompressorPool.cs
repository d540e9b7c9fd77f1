using System.Collections.Concurrent;
using ZstdSharp;

namespace TileServer.Zarr.Codecs;

/// <summary>
/// Reuses zstd decompression contexts (each holds ~100 KB of window/workspace that a fresh one would allocate
/// for every chunk). Owned by a codec instance; bounded so a burst of parallel decodes cannot pin memory.
/// </summary>
internal sealed class ZstdDecompressorPool
{
    private const int MaxPooled = 64;
    private readonly ConcurrentBag<Decompressor> _pool = [];

    public Decompressor Rent() => _pool.TryTake(out var d) ? d : new Decompressor();

    public void Return(Decompressor decompressor)
    {
        if (_pool.Count < MaxPooled)
        {
            _pool.Add(decompressor);
        }
        else
        {
            decompressor.Dispose();
        }
    }
}
