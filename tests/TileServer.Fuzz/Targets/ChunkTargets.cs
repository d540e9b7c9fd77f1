using TileServer.Zarr;

namespace TileServer.Fuzz.Targets;

/// <summary>
/// Chunk bytes through <c>CodecChain.Decode</c> (and, for sharded arrays, <c>ShardingCodec.DecodeIndex</c>/<c>Entry</c>),
/// reached as a server reaches them: <see cref="ZarrArray.ReadAsync"/> of a fixture array whose every chunk is the input.
/// The first input byte picks the fixture; the rest is the stored object.
/// </summary>
public abstract class ChunkTarget : FuzzTarget
{
    private IReadOnlyList<ArrayFixture>? _fixtures;

    public override string Contract => "ZarrArray.ReadAsync → CodecChain.Decode / ShardingCodec: ChunkDecodeException (or ZarrFormatException) only";
    public override InputKind Kind => InputKind.Binary;

    public IReadOnlyList<ArrayFixture> Fixtures => _fixtures ??= ArrayFixture.All.Where(Selects).ToArray();

    protected abstract bool Selects(ArrayFixture fixture);

    /// <summary>
    /// Fixed working memory of a decoder, whatever the input: bzip2 sizes its block tables from the header's block
    /// size digit, at most 900 kB (SharpZipLib allocates about 5 bytes per block byte).
    /// </summary>
    private static long WorkingBytes(string codecSummary)
        => codecSummary.Contains("bz2", StringComparison.Ordinal) ? 6L * 1024 * 1024 : 0;

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => Fixtures.Select((f, i) => (byte[])[(byte)i, .. f.FirstObject]).ToArray();

    public override void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var fixture = Fixtures[input[0] % Fixtures.Count];
        var stored = input.AsSpan(1).ToArray();

        // Decoding may need the declared chunk several times over (decompressed bytes, filters, the converted window),
        // but nothing may be sized from a length field inside the input.
        long bound = Invariants.BaseBytes + (16L * input.Length) + (8L * fixture.DecodedBytes) + WorkingBytes(fixture.CodecSummary);
        Invariants.Check(Name, bound, Invariants.IsOwnError, () => fixture.Read(new MemoryStore(fixture.Metadata, stored)));
    }
}

public sealed class BloscTarget : ChunkTarget
{
    public override string Name => "blosc";
    protected override bool Selects(ArrayFixture fixture) => fixture.CodecSummary.Contains("blosc", StringComparison.Ordinal) && !fixture.CodecSummary.Contains("sharding", StringComparison.Ordinal);
}

public sealed class CodecsTarget : ChunkTarget
{
    public override string Name => "codecs";
    protected override bool Selects(ArrayFixture fixture) => !fixture.CodecSummary.Contains("blosc", StringComparison.Ordinal) && !fixture.CodecSummary.Contains("sharding", StringComparison.Ordinal);
}

public sealed class ShardTarget : ChunkTarget
{
    public override string Name => "shard";
    protected override bool Selects(ArrayFixture fixture) => fixture.CodecSummary.Contains("sharding", StringComparison.Ordinal);
}
