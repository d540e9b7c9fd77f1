using System.Buffers.Binary;
using System.Text.Json.Nodes;
using TileServer.Zarr.Metadata;

namespace TileServer.Zarr.Codecs;

/// <summary>Where the shard index is stored.</summary>
internal enum ShardIndexLocation
{
    Start,
    End,
}

/// <summary>Where one inner chunk lies inside its shard, from the shard index.</summary>
internal readonly record struct ShardEntry(long Offset, long Length);

/// <summary>
/// The v3 <c>sharding_indexed</c> codec. A shard is a grid of inner chunks, each encoded with the inner chain,
/// plus an index of (offset, nbytes) per inner chunk. Whole-shard decoding lives here; the reader uses
/// <see cref="IndexSize"/>, <see cref="DecodeIndex"/>, <see cref="Entry"/> and <see cref="InnerChain"/> to fetch only the
/// inner chunks it needs, so one impossible index entry fails only the reads that need that inner chunk.
/// </summary>
internal sealed class ShardingCodec : IArrayToBytesCodec
{
    public const ulong EmptyEntry = ulong.MaxValue;

    /// <summary>Bytes per index entry: two little-endian uint64.</summary>
    private const int EntryBytes = 16;

    private ShardingCodec(int[] innerShape, int[] chunksPerShard, CodecChain innerChain, CodecChain indexChain, ShardIndexLocation location, long indexSize)
    {
        InnerShape = innerShape;
        ChunksPerShard = chunksPerShard;
        InnerChain = innerChain;
        IndexChain = indexChain;
        Location = location;
        IndexSize = indexSize;
        InnerChunkCount = (int)ShapeMath.SaturatingProduct(chunksPerShard);
    }

    public int[] InnerShape { get; }
    public int[] ChunksPerShard { get; }
    public CodecChain InnerChain { get; }
    public CodecChain IndexChain { get; }
    public ShardIndexLocation Location { get; }

    /// <summary>Encoded size of the index in bytes (fixed: index codecs may not compress).</summary>
    public long IndexSize { get; }

    /// <summary>Inner chunks per shard; <see cref="Create"/> keeps it small enough for the index to fit in one buffer.</summary>
    public int InnerChunkCount { get; }

    public string Summary => $"sharding({InnerChain.Summary})";

    public static ShardingCodec Create(JsonObject config, CodecBuildContext ctx)
    {
        var shardShape = ctx.Current.Shape;
        var inner = JsonHelpers.GetIntArray(config, "chunk_shape", ctx.Path);
        if (inner.Length != shardShape.Length)
        {
            throw new ZarrFormatException(ctx.Path, $"sharding chunk_shape has {inner.Length} dimensions, the shard {shardShape.Length}");
        }

        var perShard = new int[inner.Length];
        for (int d = 0; d < inner.Length; d++)
        {
            if (shardShape[d] % inner[d] != 0)
            {
                throw new ZarrFormatException(ctx.Path, $"inner chunk shape {ShapeMath.Format(inner)} does not divide the shard shape {ShapeMath.Format(shardShape)}");
            }

            perShard[d] = shardShape[d] / inner[d];
        }

        long count = ShapeMath.SaturatingProduct(perShard);
        if (count > (Array.MaxLength - sizeof(uint)) / EntryBytes)
        {
            throw new ZarrFormatException(ctx.Path, $"a shard of {ShapeMath.Format(shardShape)} in inner chunks of {ShapeMath.Format(inner)} holds {ShapeMath.Describe(count)} inner chunks; its index could not be read into one buffer");
        }

        var innerChain = ChainBuilder.BuildV3(config["codecs"], ctx.Current with { Shape = inner }, ctx.Path, ctx.Registry);
        var indexShape = new int[perShard.Length + 1];
        perShard.CopyTo(indexShape, 0);
        indexShape[^1] = 2;
        var indexRep = new ChunkRepresentation(indexShape, DataTypeInfo.Of(ZarrDataType.UInt64), new byte[8]);
        var indexCodecs = config["index_codecs"] ?? new JsonArray(new JsonObject { ["name"] = "bytes", ["configuration"] = new JsonObject { ["endian"] = "little" } });
        var indexChain = ChainBuilder.BuildV3(indexCodecs, indexRep, ctx.Path, ctx.Registry);
        long indexSize = indexChain.EncodedSize
            ?? throw new ZarrFormatException(ctx.Path, "sharding index_codecs must have a fixed size (no compression)");
        var location = JsonHelpers.GetString(config, "index_location") switch
        {
            null or "end" => ShardIndexLocation.End,
            "start" => ShardIndexLocation.Start,
            var other => throw new ZarrFormatException(ctx.Path, $"sharding index_location '{other}' is neither 'start' nor 'end'"),
        };
        return new ShardingCodec(inner, perShard, innerChain, indexChain, location, indexSize);
    }

    public long? EncodedSize(ChunkRepresentation representation) => null;

    /// <summary>Decodes an index into (offset, nbytes) pairs as stored; <see cref="Entry"/> checks each on its own.</summary>
    public ulong[] DecodeIndex(ReadOnlyMemory<byte> indexBytes, DecodeContext context)
    {
        if (indexBytes.Length != IndexSize)
        {
            throw new CodecException($"shard index is {indexBytes.Length} bytes, expected {IndexSize}");
        }

        var raw = IndexChain.Decode(indexBytes, context);
        var entries = new ulong[raw.Length / 8];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = BinaryPrimitives.ReadUInt64LittleEndian(raw.AsSpan(i * 8));
        }

        return entries;
    }

    /// <summary>
    /// Where inner chunk <paramref name="inner"/> lies, or null when the shard does not hold it (it reads as the fill
    /// value). Throws <see cref="CodecException"/> when the entry cannot be true: beyond what an object can hold, overlapping
    /// the index, past the end of the shard (when its size is known), larger than the reader accepts, or of another
    /// size than every chunk of a fixed-size inner chain has.
    /// </summary>
    public ShardEntry? Entry(ulong[] index, int inner, long? shardSize, DecodeContext context)
    {
        ulong offset = index[2 * inner], length = index[(2 * inner) + 1];
        if (offset == EmptyEntry && length == EmptyEntry)
        {
            return null;
        }

        string where = $"shard index entry {inner} (offset {offset}, {length} bytes)";
        if (offset > long.MaxValue || length > long.MaxValue - offset)
        {
            throw new CodecException($"{where} lies beyond the end of any object");
        }

        if (InnerChain.EncodedSize is { } fixedSize && length != (ulong)fixedSize)
        {
            throw new CodecException($"{where} is impossible: every inner chunk of this array is {fixedSize} bytes");
        }

        if (length > (ulong)context.MaxChunkBytes)
        {
            throw new CodecException($"{where} is larger than the limit of {context.MaxChunkBytes} bytes");
        }

        long start = Location == ShardIndexLocation.Start ? IndexSize : 0;
        long end = shardSize is { } size ? size - (Location == ShardIndexLocation.End ? IndexSize : 0) : long.MaxValue;
        if ((long)offset < start || (long)(offset + length) > end)
        {
            throw new CodecException($"{where} lies outside the chunk data of the shard");
        }

        return new ShardEntry((long)offset, (long)length);
    }

    /// <summary>The position of inner chunk <paramref name="inner"/> in the shard's grid of inner chunks.</summary>
    public int[] InnerCoordinates(int inner)
    {
        var coords = new int[ChunksPerShard.Length];
        for (int d = coords.Length - 1; d >= 0; d--)
        {
            coords[d] = inner % ChunksPerShard[d];
            inner /= ChunksPerShard[d];
        }

        return coords;
    }

    public byte[] Decode(ReadOnlyMemory<byte> encoded, ChunkRepresentation representation, DecodeContext context)
    {
        if (encoded.Length < IndexSize)
        {
            throw new CodecException($"shard of {encoded.Length} bytes is shorter than its {IndexSize}-byte index");
        }

        var indexBytes = Location == ShardIndexLocation.End ? encoded[(int)(encoded.Length - IndexSize)..] : encoded[..(int)IndexSize];
        var index = DecodeIndex(indexBytes, context);
        var result = new byte[representation.ByteSize];
        ArrayLayout.FillWith(result, representation.FillBytes);
        Span<int> origin = stackalloc int[InnerShape.Length];
        for (int i = 0; i < InnerChunkCount; i++)
        {
            // Decoded as one block, the shard fails as a whole on any impossible entry.
            if (Entry(index, i, encoded.Length, context) is not { } entry)
            {
                continue;
            }

            var chunk = InnerChain.Decode(encoded.Slice((int)entry.Offset, (int)entry.Length), context);
            var coords = InnerCoordinates(i);
            for (int d = 0; d < coords.Length; d++)
            {
                origin[d] = coords[d] * InnerShape[d];
            }

            ArrayLayout.CopyBlock(chunk, InnerShape, result, representation.Shape, origin, representation.DataType.ItemSize);
        }

        return result;
    }
}
