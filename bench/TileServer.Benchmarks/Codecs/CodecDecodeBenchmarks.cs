using System.Buffers.Binary;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using K4os.Compression.LZ4;
using TileServer.Zarr.Codecs;
using TileServer.Zarr.Codecs.Blosc;

namespace TileServer.Benchmarks.Codecs;

/// <summary>
/// Decode throughput of our codecs against the bare library call on the same compressed bytes
/// (1 MiB chunk = 512x512 float32, smooth data). Per codec (category) the baseline is the raw library call
/// into a freshly allocated output buffer, as every chunk decode needs one; "_RawReused" decodes into a
/// reused buffer to show what the allocation itself costs. Ratio = time / baseline (lower is better).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CodecDecodeBenchmarks
{
    private const int Width = 512;
    private const int Height = 512;
    private const int BloscBlock = 256 * 1024;

    private byte[] _raw = [];
    private byte[] _zstd = [];
    private byte[] _lz4 = [];
    private byte[] _zlib = [];
    private byte[] _bloscLz4 = [];
    private byte[] _bloscZstd = [];
    private List<(byte[] Compressed, int Size)> _bloscLz4Splits = [];
    private List<(byte[] Compressed, int Size)> _bloscZstdSplits = [];
    private byte[] _output = [];
    private readonly ZstdCodec _zstdCodec = new("zstd(3)");
    private readonly Lz4Codec _lz4Codec = new();
    private readonly DeflateCodec _zlibCodec = new("zlib(5)");
    private readonly BloscCodec _bloscCodec = new("blosc");
    private readonly ZstdSharp.Decompressor _decompressor = new();

    [GlobalSetup]
    public void Setup()
    {
        _raw = BenchData.SmoothFloats(Width, Height);
        _output = new byte[_raw.Length];
        using (var c = new ZstdSharp.Compressor(3))
        {
            _zstd = c.Wrap(_raw).ToArray();
        }

        var block = BenchData.Lz4Block(_raw);
        _lz4 = new byte[block.Length + 4];
        BinaryPrimitives.WriteInt32LittleEndian(_lz4, _raw.Length);
        block.CopyTo(_lz4, 4);
        using (var ms = new MemoryStream())
        {
            using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true))
            {
                z.Write(_raw);
            }

            _zlib = ms.ToArray();
        }

        (_bloscLz4, _bloscLz4Splits) = BenchData.BloscEncode(_raw, 4, BloscBlock, bitShuffle: false, zstd: false);
        (_bloscZstd, _bloscZstdSplits) = BenchData.BloscEncode(_raw, 4, BloscBlock, bitShuffle: true, zstd: true);
        Check(_zstdCodec.Decode(_zstd, _raw.Length, long.MaxValue));
        Check(_lz4Codec.Decode(_lz4, _raw.Length, long.MaxValue));
        Check(_zlibCodec.Decode(_zlib, _raw.Length, long.MaxValue));
        Check(_bloscCodec.Decode(_bloscLz4, _raw.Length, long.MaxValue));
        Check(_bloscCodec.Decode(_bloscZstd, _raw.Length, long.MaxValue));
    }

    private void Check(ReadOnlyMemory<byte> decoded)
    {
        if (!decoded.Span.SequenceEqual(_raw))
        {
            throw new InvalidOperationException("benchmark codec round trip failed");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _decompressor.Dispose();

    private byte[] NewOutput() => GC.AllocateUninitializedArray<byte>(_raw.Length);

    [Benchmark, BenchmarkCategory("zstd")]
    public int Zstd_RawReused() => _decompressor.Unwrap(_zstd, _output);

    [Benchmark(Baseline = true), BenchmarkCategory("zstd")]
    public int Zstd_Raw() => _decompressor.Unwrap(_zstd, NewOutput());

    [Benchmark, BenchmarkCategory("zstd")]
    public int Zstd_Codec() => _zstdCodec.Decode(_zstd, _raw.Length, long.MaxValue).Length;

    [Benchmark, BenchmarkCategory("lz4")]
    public int Lz4_RawReused() => LZ4Codec.Decode(_lz4.AsSpan(4), _output);

    [Benchmark(Baseline = true), BenchmarkCategory("lz4")]
    public int Lz4_Raw() => LZ4Codec.Decode(_lz4.AsSpan(4), NewOutput());

    [Benchmark, BenchmarkCategory("lz4")]
    public int Lz4_Codec() => _lz4Codec.Decode(_lz4, _raw.Length, long.MaxValue).Length;

    [Benchmark(Baseline = true), BenchmarkCategory("zlib")]
    public int Zlib_Raw()
    {
        var output = NewOutput();
        using var z = new ZLibStream(new MemoryStream(_zlib), CompressionMode.Decompress);
        z.ReadExactly(output);
        return output.Length;
    }

    [Benchmark, BenchmarkCategory("zlib")]
    public int Zlib_Codec() => _zlibCodec.Decode(_zlib, _raw.Length, long.MaxValue).Length;

    /// <summary>Raw: LZ4 on the same splits into one new buffer, no framing and no unshuffle.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("blosc-lz4-shuffle")]
    public int BloscLz4Shuffle_RawSplits()
    {
        var output = NewOutput();
        int pos = 0;
        foreach (var (c, size) in _bloscLz4Splits)
        {
            pos += LZ4Codec.Decode(c, output.AsSpan(pos, size));
        }

        return pos;
    }

    [Benchmark, BenchmarkCategory("blosc-lz4-shuffle")]
    public int BloscLz4Shuffle_Codec() => _bloscCodec.Decode(_bloscLz4, _raw.Length, long.MaxValue).Length;

    /// <summary>Raw: zstd on the same splits into one new buffer, no framing and no bit unshuffle.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("blosc-zstd-bitshuffle")]
    public int BloscZstdBitshuffle_RawSplits()
    {
        var output = NewOutput();
        int pos = 0;
        foreach (var (c, size) in _bloscZstdSplits)
        {
            pos += _decompressor.Unwrap(c, output.AsSpan(pos, size));
        }

        return pos;
    }

    [Benchmark, BenchmarkCategory("blosc-zstd-bitshuffle")]
    public int BloscZstdBitshuffle_Codec() => _bloscCodec.Decode(_bloscZstd, _raw.Length, long.MaxValue).Length;
}

/// <summary>Unshuffle kernels on a 256 KiB block (one Blosc block) against a plain copy (memory speed).</summary>
[MemoryDiagnoser]
public class ShuffleBenchmarks
{
    private byte[] _src = [];
    private byte[] _dst = [];

    [Params(2, 4, 8)]
    public int TypeSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _src = BenchData.ByteShuffle(BenchData.SmoothFloats(256, 256), TypeSize);
        _dst = new byte[_src.Length];
    }

    [Benchmark(Baseline = true)]
    public void Memcpy() => _src.CopyTo(_dst, 0);

    [Benchmark]
    public void ByteUnshuffle_Simd() => Shuffle.ByteUnshuffle(_src, _dst, TypeSize);

    [Benchmark]
    public void ByteUnshuffle_Scalar() => Shuffle.ByteUnshuffleScalar(_src, _dst, TypeSize);

    [Benchmark]
    public void BitUnshuffle_Simd() => Shuffle.BitUnshuffle(_src, _dst, TypeSize);

    [Benchmark]
    public void BitUnshuffle_Scalar() => Shuffle.BitUnshuffleScalar(_src, _dst, TypeSize);
}
