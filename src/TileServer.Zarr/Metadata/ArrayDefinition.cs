using TileServer.Zarr.Codecs;

namespace TileServer.Zarr.Metadata;

/// <summary>Everything the reader needs of one array, parsed and validated once.</summary>
internal sealed record ArrayDefinition(
    ZarrArrayMetadata Metadata,
    long[] Shape,
    int[] ChunkShape,
    DataTypeInfo DataType,
    FillValue Fill,
    ChunkKeyEncoding KeyEncoding,
    CodecChain Chain)
{
    /// <summary>
    /// The first way in which <paramref name="other"/> (the same array described elsewhere, e.g. by its own metadata
    /// document when this came from consolidated metadata) would read differently; null when both read alike.
    /// Attributes are not compared: they do not change how chunks decode.
    /// </summary>
    public string? FirstDifference(ArrayDefinition other)
    {
        static string Names(IReadOnlyList<string>? names) => names is null ? "none" : "[" + string.Join(", ", names) + "]";

        if (!Shape.AsSpan().SequenceEqual(other.Shape))
        {
            return $"shape {ShapeMath.Format(Shape)} against {ShapeMath.Format(other.Shape)}";
        }

        if (!ChunkShape.AsSpan().SequenceEqual(other.ChunkShape))
        {
            return $"chunk shape {ShapeMath.Format(ChunkShape)} against {ShapeMath.Format(other.ChunkShape)}";
        }

        if (DataType != other.DataType)
        {
            return $"data type {DataType.Type} against {other.DataType.Type}";
        }

        if (!Fill.Bytes.AsSpan().SequenceEqual(other.Fill.Bytes))
        {
            return $"fill value {Fill.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"} against {other.Fill.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}";
        }

        if (KeyEncoding != other.KeyEncoding)
        {
            return "chunk key encoding differs";
        }

        if (Chain.Summary != other.Chain.Summary)
        {
            return $"codecs {Chain.Summary} against {other.Chain.Summary}";
        }

        var names = Metadata.DimensionNames;
        var otherNames = other.Metadata.DimensionNames;
        bool sameNames = names is null ? otherNames is null : otherNames is not null && names.SequenceEqual(otherNames, StringComparer.Ordinal);
        return sameNames ? null : $"dimension names {Names(names)} against {Names(otherNames)}";
    }
}
