namespace TileServer.Tiling;

/// <summary>
/// Rows <see cref="MinTileRow"/>..<see cref="MaxTileRow"/> of a tile matrix where <see cref="Coalesce"/> adjacent
/// tiles are merged into one (TMS 2.0 §variableMatrixWidth); the merged tile is addressed by its first column.
/// </summary>
public sealed record VariableMatrixWidth(int Coalesce, long MinTileRow, long MaxTileRow);

/// <summary>One zoom level of a <see cref="TileMatrixSet"/>, as in the TMS 2.0 JSON.</summary>
public sealed record TileMatrix
{
    public required string Id { get; init; }
    public required double ScaleDenominator { get; init; }

    /// <summary>CRS units per pixel (authoritative for geometry).</summary>
    public required double CellSize { get; init; }

    /// <summary>"topLeft" (rows count down from the origin) or "bottomLeft" (rows count up).</summary>
    public string CornerOfOrigin { get; init; } = "topLeft";

    /// <summary>The corner of origin in the CRS's authority axis order, exactly as in the JSON.</summary>
    public required double[] PointOfOrigin { get; init; }

    public required int TileWidth { get; init; }
    public required int TileHeight { get; init; }
    public required long MatrixWidth { get; init; }
    public required long MatrixHeight { get; init; }
    public IReadOnlyList<VariableMatrixWidth>? VariableMatrixWidths { get; init; }

    public bool IsBottomLeft => string.Equals(CornerOfOrigin, "bottomLeft", StringComparison.OrdinalIgnoreCase);

    /// <summary>Span of one tile along x in CRS units.</summary>
    public double TileSpanX => TileWidth * CellSize;

    /// <summary>Span of one tile along y in CRS units.</summary>
    public double TileSpanY => TileHeight * CellSize;

    /// <summary>How many matrix columns the tiles of <paramref name="row"/> span (1 unless coalesced).</summary>
    public int CoalesceForRow(long row)
    {
        if (VariableMatrixWidths is null)
        {
            return 1;
        }

        foreach (var v in VariableMatrixWidths)
        {
            if (row >= v.MinTileRow && row <= v.MaxTileRow)
            {
                return Math.Max(1, v.Coalesce);
            }
        }

        return 1;
    }
}
