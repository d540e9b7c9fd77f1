using BenchmarkDotNet.Attributes;
using TileServer.Storage;
using TileServer.Zarr;

namespace TileServer.Benchmarks.Codecs;

/// <summary>
/// A 256x256 float32 window read (crossing 4 chunks of 256x256) from a zstd Zarr v2 array with a warm
/// chunk cache: the cost of planning, cache lookups and converting copies, no decoding.
/// </summary>
[MemoryDiagnoser]
public class WindowReadBenchmarks
{
    private string _dir = "";
    private ZarrArray _array = null!;
    private readonly float[] _destination = new float[256 * 256];
    private readonly DimSlice[] _window = [new DimSlice(100, 256), new DimSlice(300, 256)];
    private readonly DimSlice[] _strided = [new DimSlice(0, 256, 8), new DimSlice(0, 256, 8)];

    [GlobalSetup]
    public async Task Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "zarr-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        const int size = 2048, chunk = 256;
        await File.WriteAllTextAsync(Path.Combine(_dir, ".zarray"),
            $$"""{"zarr_format":2,"shape":[{{size}},{{size}}],"chunks":[{{chunk}},{{chunk}}],"dtype":"<f4","compressor":{"id":"zstd","level":3},"fill_value":"NaN","filters":null,"order":"C"}""");
        using var compressor = new ZstdSharp.Compressor(3);
        var data = BenchData.SmoothFloats(chunk, chunk);
        for (int i = 0; i < size / chunk; i++)
        {
            for (int j = 0; j < size / chunk; j++)
            {
                await File.WriteAllBytesAsync(Path.Combine(_dir, $"{i}.{j}"), compressor.Wrap(data).ToArray());
            }
        }

        var options = new ZarrReaderOptions { Cache = new ChunkCache(256L << 20) };
        var h = await ZarrHierarchy.OpenAsync(new FileStore(_dir), options);
        _array = (await h.GetArrayAsync(""))!;
        await _array.ReadAsync<float>(_window, _destination);
        await _array.ReadAsync<float>(_strided, _destination);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark]
    public ValueTask WarmWindow_256x256() => _array.ReadAsync<float>(_window, _destination);

    [Benchmark]
    public ValueTask WarmStrided_256x256_step8() => _array.ReadAsync<float>(_strided, _destination);
}
