namespace TileServer.Zarr.Codecs;

/// <summary>
/// The codecs of an array (or of a shard's inner chunks) for one chunk representation, decoded in reverse:
/// bytes→bytes codecs last to first, then the array→bytes codec, then array→array codecs last to first.
/// Sizes are predicted forward once, so each decoder knows how many bytes it must produce.
/// </summary>
internal sealed class CodecChain
{
    private readonly ChunkRepresentation[] _representations;
    private readonly long?[] _byteSizes;

    public CodecChain(IReadOnlyList<IArrayToArrayCodec> arrayToArray, IArrayToBytesCodec arrayToBytes, IReadOnlyList<IBytesToBytesCodec> bytesToBytes, ChunkRepresentation decoded)
    {
        ArrayToArray = arrayToArray;
        ArrayToBytes = arrayToBytes;
        BytesToBytes = bytesToBytes;
        _representations = new ChunkRepresentation[arrayToArray.Count + 1];
        _representations[0] = decoded;
        for (int i = 0; i < arrayToArray.Count; i++)
        {
            _representations[i + 1] = arrayToArray[i].EncodedRepresentation(_representations[i]);
        }

        _byteSizes = new long?[bytesToBytes.Count + 1];
        _byteSizes[0] = arrayToBytes.EncodedSize(_representations[^1]);
        for (int i = 0; i < bytesToBytes.Count; i++)
        {
            _byteSizes[i + 1] = _byteSizes[i] is { } s ? bytesToBytes[i].EncodedSize(s) : null;
        }
    }

    public IReadOnlyList<IArrayToArrayCodec> ArrayToArray { get; }
    public IArrayToBytesCodec ArrayToBytes { get; }
    public IReadOnlyList<IBytesToBytesCodec> BytesToBytes { get; }

    public ChunkRepresentation Decoded => _representations[0];

    /// <summary>The representation the array→bytes codec works on.</summary>
    public ChunkRepresentation Innermost => _representations[^1];

    /// <summary>The sharding codec when it is the whole chain, so inner chunks can be read one by one; else null.</summary>
    public ShardingCodec? ShardingOnly => ArrayToBytes is ShardingCodec sharding && ArrayToArray.Count == 0 && BytesToBytes.Count == 0 ? sharding : null;

    /// <summary>The stored size of a chunk when no codec depends on the data (e.g. a fixed-size shard index).</summary>
    public long? EncodedSize => _byteSizes[^1];

    public string Summary
    {
        get
        {
            var parts = new List<string>();
            foreach (var c in ArrayToArray)
            {
                parts.Add(c.Summary);
            }

            parts.Add(ArrayToBytes.Summary);
            foreach (var c in BytesToBytes)
            {
                parts.Add(c.Summary);
            }

            return string.Join(",", parts);
        }
    }

    /// <summary>Decodes stored bytes into native C-order elements of <see cref="Decoded"/>; throws <see cref="CodecException"/>.</summary>
    public byte[] Decode(ReadOnlyMemory<byte> stored, DecodeContext context)
    {
        if (Decoded.ByteSize > context.MaxChunkBytes)
        {
            throw new CodecException($"decoded chunk of {Decoded.ByteSize} bytes exceeds the limit of {context.MaxChunkBytes} bytes");
        }

        try
        {
            var data = stored;
            for (int i = BytesToBytes.Count - 1; i >= 0; i--)
            {
                data = BytesToBytes[i].Decode(data, _byteSizes[i], context.MaxChunkBytes);
            }

            var array = ArrayToBytes.Decode(data, Innermost, context);
            for (int i = ArrayToArray.Count - 1; i >= 0; i--)
            {
                array = ArrayToArray[i].Decode(array, _representations[i + 1], _representations[i]);
            }

            return array;
        }
        catch (Exception ex) when (ex is not (CodecException or ZarrFormatException or OperationCanceledException or OutOfMemoryException))
        {
            // Third-party decoders throw what they like on corrupt input; every such failure is a decode error.
            throw new CodecException(ex.Message, ex);
        }
    }
}
