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

/// <summary>
/// The v3 <c>sharding_indexed</c> codec. A shard is a grid of inner chunks, each encoded with the inner chain,
/// plus an index of (offset, nbytes) per inner chunk. Whole-shard decoding lives here; the reader uses
/// <see cref="IndexSize"/>, <see cref="DecodeIndex"/> and <see cref="InnerChain"/> to fetch only the inner chunks it needs.
/// </summary>
internal sealed class ShardingCodec : IArrayToBytesCodec
{
    public const ulong EmptyEntry = ulong.MaxValue;

    private ShardingCodec(int[] innerShape, int[] chunksPerShard, CodecChain innerChain, CodecChain indexChain, ShardIndexLocation location, long indexSize)
    {
        InnerShape = innerShape;
        ChunksPerShard = chunksPerShard;
        InnerChain = innerChain;
        IndexChain = indexChain;
        Location = location;
        IndexSize = indexSize;
    }

    public int[] InnerShape { get; }
    public int[] ChunksPerShard { get; }
    public CodecChain InnerChain { get; }
    public CodecChain IndexChain { get; }
    public ShardIndexLocation Location { get; }

    /// <summary>Encoded size of the index in bytes (fixed: index codecs may not compress).</summary>
    public long IndexSize { get; }

    public int InnerChunkCount
    {
        get
        {
            int n = 1;
            foreach (int c in ChunksPerShard)
            {
                n *= c;
            }

            return n;
        }
    }

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
                throw new ZarrFormatException(ctx.Path, $"inner chunk shape [{string.Join(",", inner)}] does not divide the shard shape [{string.Join(",", shardShape)}]");
            }

            perShard[d] = shardShape[d] / inner[d];
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

    /// <summary>Decodes an index into (offset, nbytes) pairs, checking that every chunk lies inside the shard when its size is known.</summary>
    public ulong[] DecodeIndex(ReadOnlyMemory<byte> indexBytes, DecodeContext context, long? shardSize)
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

        for (int i = 0; i < entries.Length; i += 2)
        {
            ulong offset = entries[i], length = entries[i + 1];
            if (offset == EmptyEntry && length == EmptyEntry)
            {
                continue;
            }

            if (offset > long.MaxValue || length > (ulong)context.MaxChunkBytes || (shardSize is { } size && offset + length > (ulong)size))
            {
                throw new CodecException($"shard index entry {i / 2} (offset {offset}, {length} bytes) lies outside the shard");
            }
        }

        return entries;
    }

    public byte[] Decode(ReadOnlyMemory<byte> encoded, ChunkRepresentation representation, DecodeContext context)
    {
        if (encoded.Length < IndexSize)
        {
            throw new CodecException($"shard of {encoded.Length} bytes is shorter than its {IndexSize}-byte index");
        }

        var indexBytes = Location == ShardIndexLocation.End ? encoded[(int)(encoded.Length - IndexSize)..] : encoded[..(int)IndexSize];
        var index = DecodeIndex(indexBytes, context, encoded.Length);
        var result = new byte[representation.ByteSize];
        ArrayLayout.FillWith(result, representation.FillBytes);
        int n = InnerChunkCount;
        Span<int> origin = stackalloc int[InnerShape.Length];
        for (int i = 0; i < n; i++)
        {
            ulong offset = index[2 * i];
            ulong length = index[(2 * i) + 1];
            if (offset == EmptyEntry && length == EmptyEntry)
            {
                continue;
            }

            var chunk = InnerChain.Decode(encoded.Slice((int)offset, (int)length), context);
            int rest = i;
            for (int d = InnerShape.Length - 1; d >= 0; d--)
            {
                origin[d] = rest % ChunksPerShard[d] * InnerShape[d];
                rest /= ChunksPerShard[d];
            }

            ArrayLayout.CopyBlock(chunk, InnerShape, result, representation.Shape, origin, representation.DataType.ItemSize);
        }

        return result;
    }
}
