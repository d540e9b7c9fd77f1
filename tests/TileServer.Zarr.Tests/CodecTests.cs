using System.Buffers.Binary;
using System.Text;
using TileServer.Zarr.Codecs;
using TileServer.Zarr.Codecs.Blosc;
using Xunit;

namespace TileServer.Zarr.Tests;

public sealed class CodecTests
{
    /// <summary>c-blosc's own compatibility chunks (int32 0..999999): BloscLZ, zlib, byte/bit shuffle, split and unsplit.</summary>
    [Theory]
    [InlineData("blosc-1.3.0-blosclz.cdata")]
    [InlineData("blosc-1.18.0-blosclz.cdata")]
    [InlineData("blosc-1.18.0-blosclz-bitshuffle.cdata")]
    [InlineData("blosc-1.11.1-zlib.cdata")]
    [InlineData("blosc-1.18.0-zlib.cdata")]
    public void Blosc_compat_chunks_decode_to_the_integer_ramp(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.ZarrData, "blosc", file));
        var decoded = BloscDecoder.Decode(bytes, 4_000_000, 64 << 20);
        Assert.Equal(4_000_000, decoded.Length);
        for (int i = 0; i < 1_000_000; i++)
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(decoded.AsSpan(i * 4)) != i)
            {
                Assert.Fail($"{file}: element {i} is {BinaryPrimitives.ReadInt32LittleEndian(decoded.AsSpan(i * 4))}");
            }
        }
    }

    [Fact]
    public void Blosc_header_claiming_4GB_is_rejected_before_allocating()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.ZarrData, "blosc", "blosc-1.18.0-zlib.cdata"));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), uint.MaxValue);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<CodecException>(() => BloscDecoder.Decode(bytes, null, 256 << 20));
        Assert.Contains("4294967295", ex.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void Blosc_truncated_chunk_is_rejected()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.ZarrData, "blosc", "blosc-1.18.0-blosclz.cdata"));
        var ex = Assert.Throws<CodecException>(() => BloscDecoder.Decode(bytes.AsSpan(0, bytes.Length / 2), 4_000_000, 64 << 20));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blosc2_frames_are_rejected_with_a_clear_message()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.ZarrData, "blosc", "blosc-1.18.0-zlib.cdata"));
        bytes[0] = 3;
        Assert.Contains("Blosc2", Assert.Throws<CodecException>(() => BloscDecoder.Decode(bytes, 4_000_000, 64 << 20)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crc32c_matches_the_castagnoli_check_value()
        => Assert.Equal(0xE3069283u, Crc32cCodec.Compute(Encoding.ASCII.GetBytes("123456789")));

    public static TheoryData<int, int> ShuffleShapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int ts in new[] { 1, 2, 3, 4, 5, 8, 12, 16, 17 })
        {
            foreach (int len in new[] { 0, 7, 64, 256, 1000, 4096 + 13, 65536 })
            {
                data.Add(ts, len);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShuffleShapes))]
    public void Vectorised_unshuffles_equal_the_scalar_reference(int typeSize, int length)
    {
        var src = new byte[length];
        new Random(length * 31 + typeSize).NextBytes(src);
        var expected = new byte[length];
        var actual = new byte[length];
        Shuffle.ByteUnshuffleScalar(src, expected, typeSize);
        Shuffle.ByteUnshuffle(src, actual, typeSize);
        Assert.Equal(expected, actual);
        Shuffle.BitUnshuffleScalar(src, expected, typeSize);
        Array.Fill(actual, (byte)0xAA);
        Shuffle.BitUnshuffle(src, actual, typeSize);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Byte_unshuffle_undoes_a_shuffle()
    {
        // Shuffled by hand: plane j holds byte j of every element.
        int n = 100, ts = 4;
        var original = Enumerable.Range(0, n * ts).Select(i => (byte)(i * 7)).ToArray();
        var shuffled = new byte[original.Length];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < ts; j++)
            {
                shuffled[(j * n) + i] = original[(i * ts) + j];
            }
        }

        var result = new byte[original.Length];
        Shuffle.ByteUnshuffle(shuffled, result, ts);
        Assert.Equal(original, result);
    }

    [Fact]
    public void BloscLz_rejects_a_match_before_the_start_of_output()
    {
        // literal run of 1 byte, then a match of length 3 at distance 200 (beyond the 1 byte written), then a literal
        byte[] input = [0x00, 0x41, 0x20, 200, 0x00, 0x42];
        Assert.Equal(-1, BloscLz.Decompress(input, new byte[16]));
    }

    [Fact]
    public void BloscLz_decodes_literals_and_runs()
    {
        // "AB" literal, then match len 3 at distance 2 ("ABA"), then literal "Z"
        byte[] input = [0x01, (byte)'A', (byte)'B', 0x20, 0x01, 0x00, (byte)'Z'];
        var output = new byte[6];
        Assert.Equal(6, BloscLz.Decompress(input, output));
        Assert.Equal("ABABAZ", Encoding.ASCII.GetString(output));
    }
}
