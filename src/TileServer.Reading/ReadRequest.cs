using TileServer.Reading.Expressions;
using TileServer.Tiling;

namespace TileServer.Reading;

/// <summary>
/// What to read, whatever the area: which variables (or bands of one variable), which position of the other
/// dimensions, how to resample and what else counts as nodata. Empty members mean "the dataset's default".
/// </summary>
public sealed record ReadRequest
{
    public static readonly ReadRequest Default = new();

    /// <summary>Variables to read; several make one band each (an RGB(A) composite). Empty = the default variable.</summary>
    public IReadOnlyList<string> Variables { get; init; } = [];

    /// <summary><c>dim=value</c> selections of the non-spatial dimensions.</summary>
    public IReadOnlyList<DimensionSelection> Selections { get; init; } = [];

    /// <summary>Take the closest coordinate value instead of requiring an exact match.</summary>
    public bool SelectNearest { get; init; }

    /// <summary>1-based bands of the band dimension of a single variable.</summary>
    public IReadOnlyList<int> Bidx { get; init; } = [];

    /// <summary>Null = the dataset's configured default, else nearest.</summary>
    public ResamplingMethod? Resampling { get; init; }

    /// <summary>A decoded value to treat as nodata on top of the metadata's (NaN allowed); applied to the planes read, before an expression.</summary>
    public double? Nodata { get; init; }

    /// <summary>Band math over the variables (and <c>bN</c> bands of the selected variable): the read answers with its outputs.</summary>
    public BandExpression? Expression { get; init; }
}

/// <summary>One <c>sel=dim=value</c>: a dimension name and a value (ISO time, coordinate value or index).</summary>
public readonly record struct DimensionSelection(string Dimension, string Value);
