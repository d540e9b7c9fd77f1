using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.Storage;
using TileServer.Zarr;

namespace TileServer.GeoZarr;

/// <summary>
/// A georeferenced data variable of one pyramid level: a Zarr array whose two spatial dimensions map to a
/// <see cref="GridGeometry"/>, plus CF decoding and the other dimensions (time, band, level…).
/// </summary>
public sealed class GeoVariable(string name, ZarrArray array, IReadOnlyList<DimensionInfo> dimensions, int yDim, int xDim, GridGeometry grid, CfDecoding cf)
{
    public string Name { get; } = name;
    public ZarrArray Array { get; } = array;
    public IReadOnlyList<DimensionInfo> Dimensions { get; } = dimensions;

    /// <summary>Index of the y (row) dimension in <see cref="Dimensions"/>.</summary>
    public int YDim { get; } = yDim;

    /// <summary>Index of the x (column) dimension in <see cref="Dimensions"/>.</summary>
    public int XDim { get; } = xDim;

    public GridGeometry Grid { get; } = grid;
    public CfDecoding Cf { get; } = cf;

    public JsonObject Attributes => Array.Metadata.Attributes;
    public string? Units => Attributes["units"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)Attributes["units"] : null;
    public string? LongName => Attributes["long_name"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)Attributes["long_name"] : null;

    /// <summary>The non-spatial dimensions in storage order (what a selection must fix).</summary>
    public IEnumerable<DimensionInfo> OtherDimensions => Dimensions.Where((_, i) => i != YDim && i != XDim);

    /// <summary>
    /// Reads a 2-D window of the grid for one position of the other dimensions (<paramref name="otherIndices"/>,
    /// one index per entry of <see cref="OtherDimensions"/>, in order) into <paramref name="destination"/>
    /// (Rows × Cols, row-major, rows in storage order), CF-decoded, NaN where there is no data.
    /// </summary>
    public async ValueTask ReadPlaneAsync(IReadOnlyList<long> otherIndices, PixelWindow window, Memory<float> destination, CancellationToken cancellationToken = default)
    {
        int n = Dimensions.Count;
        var slices = new DimSlice[n];
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            if (i == YDim)
            {
                slices[i] = new DimSlice(window.Row, window.Rows, window.Step);
            }
            else if (i == XDim)
            {
                slices[i] = new DimSlice(window.Col, window.Cols, window.Step);
            }
            else
            {
                if (k >= otherIndices.Count)
                {
                    throw new ArgumentException($"no index given for dimension '{Dimensions[i].Name}'", nameof(otherIndices));
                }

                slices[i] = DimSlice.Single(otherIndices[k++]);
            }
        }

        var dst = destination[..checked((int)window.PixelCount)];
        await Array.ReadAsync(slices, dst, cancellationToken).ConfigureAwait(false);
        if (YDim > XDim)
        {
            // Stored as (x, y): the read came out column-major for our purpose.
            TransposeInPlace(dst.Span, window.Cols, window.Rows);
        }

        CfDecoder.Decode(Cf, dst.Span);
    }

    private static void TransposeInPlace(Span<float> data, int rows, int cols)
    {
        var copy = data.ToArray();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                data[(c * rows) + r] = copy[(r * cols) + c];
            }
        }
    }
}
