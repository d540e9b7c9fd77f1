using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace TileServer.Fuzz.Tests;

/// <summary>
/// Inputs whose size fields lie, built from every seed: a parser may refuse them, but it must not size anything from
/// them. Each input goes through its target, which bounds the bytes allocated by the input's length (plus the decoded
/// size the fixture's own metadata declares), so a buffer sized from a lying field fails the test.
/// </summary>
public sealed partial class LengthFieldTests
{
    private static readonly long[] HugeValues = [int.MaxValue, 0x4000_0000, uint.MaxValue, 1L << 40, long.MaxValue];

    private static readonly string[] HugeNumbers = ["2147483647", "4294967295", "1099511627776", "9223372036854775807", "1e300"];

    [Fact]
    public void Blosc_headers_claiming_huge_sizes_allocate_only_for_the_bytes_given()
    {
        var target = FuzzTargets.Get("blosc");
        target.WarmUp();
        foreach (var seed in target.Seeds)
        {
            foreach (long huge in HugeValues)
            {
                // Blosc1 header after the selector byte: version, versionlz, flags, typesize, nbytes, blocksize, cbytes.
                var input = (byte[])seed.Clone();
                BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(1 + 4), (int)huge);
                target.Run(input);
                BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(1 + 8), (int)huge);
                target.Run(input);
                BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(1 + 12), (int)huge);
                target.Run(input);
            }
        }
    }

    [Fact]
    public void Shard_indexes_pointing_past_the_shard_allocate_only_for_the_bytes_given()
    {
        var target = FuzzTargets.Get("shard");
        target.WarmUp();
        foreach (var seed in target.Seeds)
        {
            foreach (long huge in HugeValues)
            {
                // The index is 16 bytes (offset, length) per inner chunk at the end or the start; plant lies in both places.
                for (int entry = 0; entry < 4; entry++)
                {
                    foreach (int at in new[] { seed.Length - (16 * (entry + 1)), 1 + (16 * entry) })
                    {
                        if (at < 1 || at + 16 > seed.Length)
                        {
                            continue;
                        }

                        var input = (byte[])seed.Clone();
                        BinaryPrimitives.WriteInt64LittleEndian(input.AsSpan(at + 8), huge);
                        target.Run(input);
                        BinaryPrimitives.WriteInt64LittleEndian(input.AsSpan(at), huge);
                        target.Run(input);
                    }
                }
            }
        }
    }

    [Fact]
    public void Icechunk_files_whose_offsets_and_vector_lengths_lie_allocate_only_for_the_bytes_given()
    {
        var target = FuzzTargets.Get("icechunk");
        target.WarmUp();
        foreach (var seed in target.Seeds)
        {
            // FlatBuffers offsets and vector lengths are 32-bit little-endian words at 4-byte alignment (after the
            // selector byte); every word in turn becomes huge, as a signed (2³¹−1) or an unsigned (2³²−16) reader sees it.
            for (int at = 1; at + 4 <= seed.Length; at += 4)
            {
                var input = (byte[])seed.Clone();
                BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan(at), (at / 4) % 2 == 0 ? 0x7FFF_FFFFu : 0xFFFF_FFF0u);
                target.Run(input);
            }
        }
    }

    [Theory]
    [InlineData("zarr-v2-metadata")]
    [InlineData("zarr-v3-metadata")]
    [InlineData("geozarr")]
    [InlineData("kerchunk")]
    [InlineData("tms")]
    [InlineData("crs-projjson")]
    [InlineData("crs-cf")]
    [InlineData("catalog")]
    public void Documents_whose_every_number_is_huge_allocate_only_for_their_text(string name)
    {
        var target = FuzzTargets.Get(name);
        target.WarmUp();
        foreach (var seed in target.Seeds)
        {
            // Selector bytes (the first byte of binary-prefixed targets) stay as they are.
            int prefix = seed.Length > 0 && seed[0] < 0x20 ? 1 : 0;
            string text = Encoding.UTF8.GetString(seed.AsSpan(prefix));
            foreach (string huge in HugeNumbers)
            {
                string lying = Number().Replace(text, huge);
                target.Run([.. seed.AsSpan(0, prefix), .. Encoding.UTF8.GetBytes(lying)]);
            }
        }
    }

    /// <summary>A whole number, except format versions (which would only turn every document away at its first line).</summary>
    [GeneratedRegex("(?<!(zarr_format|zarr_consolidated_format|version)\"\\s*:\\s*)(?<![\\w.])\\d+(?![\\w.])")]
    private static partial Regex Number();
}
