using System.Globalization;
using TileServer.Crs;
using TileServer.Zarr;

namespace TileServer.GeoZarr;

/// <summary>
/// 1-D coordinate variables as the dataset reader uses them: read whole (up to <see cref="MaxValues"/>), turned into an
/// axis (evenly spaced or irregular) when they are the only georeferencing, and checked against a transform the
/// metadata states otherwise.
/// </summary>
internal static class CoordinateAxes
{
    /// <summary>Most values of one coordinate read while opening a dataset (32 MB of doubles).</summary>
    public const long MaxValues = 1 << 22;

    /// <summary>
    /// How far a coordinate may sit from the cell centre a transform gives, in cells. Beyond half a cell so that
    /// coordinates written at cell edges, or rounded to float32, still agree; a shifted, flipped or rescaled axis does not.
    /// </summary>
    private const double ToleranceCells = 0.6;

    /// <summary>The 1-D array that is the coordinate variable of <paramref name="dim"/>, if the level has one.</summary>
    public static ZarrArray? Find(Dictionary<string, ZarrArray> arrays, string dim)
        => arrays.TryGetValue(dim, out var coord) && coord.Metadata.Shape.Count == 1 ? coord : null;

    /// <summary>Every value of a 1-D coordinate, refusing (rather than allocating for) one longer than <see cref="MaxValues"/>.</summary>
    public static async Task<double[]> ReadAsync(ZarrArray coord, string name, CancellationToken ct)
    {
        long n = coord.Metadata.Shape[0];
        if (n > MaxValues)
        {
            throw new GeoDatasetException($"coordinate '{name}' has {n} values; at most {MaxValues} are read while opening a dataset");
        }

        var values = new double[n];
        await coord.ReadAsync([DimSlice.All(n)], values.AsMemory(), ct).ConfigureAwait(false);
        return values;
    }

    /// <summary>
    /// A 1-D coordinate as an axis: its first centre and spacing when evenly spaced (within a thousandth of the
    /// spacing), else its centres as an <see cref="IrregularAxis"/>; refused when it has a single value, a missing value
    /// or is not strictly monotonic.
    /// </summary>
    public static async Task<(double Start, double Step, IrregularAxis? Irregular)> AxisAsync(ZarrArray coord, string name, CancellationToken ct)
    {
        var values = await ReadAsync(coord, name, ct).ConfigureAwait(false);
        long n = values.Length;
        if (n == 1)
        {
            throw new GeoDatasetException($"coordinate '{name}' has a single value: cell size unknown; add spatial:transform or a GeoTransform");
        }

        double step = (values[^1] - values[0]) / (n - 1);
        bool regular = Math.Abs(step) > 0 && double.IsFinite(step);
        for (long i = 0; regular && i < n; i++)
        {
            regular = Math.Abs(values[i] - (values[0] + (i * step))) <= Math.Abs(step) * 1e-3;
        }

        if (regular)
        {
            return (values[0], step, null);
        }

        return IrregularAxis.TryCreate(values, out int bad) is { } axis
            ? (values[0], step, axis)
            : throw new GeoDatasetException(double.IsFinite(values[bad])
                ? string.Create(CultureInfo.InvariantCulture, $"coordinate '{name}' is not monotonic: value {bad} is {values[bad]} after {values[bad - 1]}")
                : string.Create(CultureInfo.InvariantCulture, $"coordinate '{name}' has no value at index {bad} ({values[bad]})"));
    }

    /// <summary>
    /// Checks that a coordinate agrees with the transform the metadata states (<paramref name="source"/>): each value
    /// within <see cref="ToleranceCells"/> of the cell centre the transform gives, longitudes of a geographic grid
    /// modulo 360. Rotated transforms and coordinates too long to read are left to the transform alone.
    /// </summary>
    public static async Task CheckAgainstTransformAsync(ZarrArray coord, string name, bool isX, AffineTransform t, CrsInfo crs, string variable, string source, CancellationToken ct)
    {
        if (!t.IsRectilinear || coord.Metadata.Shape[0] > MaxValues)
        {
            return;
        }

        var values = await ReadAsync(coord, name, ct).ConfigureAwait(false);
        double origin = isX ? t.C : t.F, step = isX ? t.A : t.E;
        bool periodic = isX && crs.IsGeographic;
        for (int i = 0; i < values.Length; i++)
        {
            double expected = origin + ((i + 0.5) * step);
            double off = values[i] - expected;
            if (periodic)
            {
                off = Math.IEEERemainder(off, 360);
            }

            if (!(Math.Abs(off) <= ToleranceCells * Math.Abs(step)))
            {
                throw new GeoDatasetException(string.Create(CultureInfo.InvariantCulture,
                    $"'{variable}': coordinate '{name}' disagrees with {source}: its value {i} is {values[i]}, the transform puts the centre of cell {i} at {expected}"));
            }
        }
    }

    /// <summary>Refuses transforms that cannot place a pixel: non-finite terms or a zero determinant.</summary>
    public static void CheckUsable(AffineTransform t, string variable, string source)
    {
        double det = (t.A * t.E) - (t.B * t.D);
        bool finite = double.IsFinite(t.A) && double.IsFinite(t.B) && double.IsFinite(t.C) && double.IsFinite(t.D) && double.IsFinite(t.E) && double.IsFinite(t.F);
        if (!finite || !double.IsFinite(det) || det == 0)
        {
            throw new GeoDatasetException(string.Create(CultureInfo.InvariantCulture,
                $"'{variable}': {source} [{t.A}, {t.B}, {t.C}, {t.D}, {t.E}, {t.F}] (rasterio order) cannot place a pixel: {(finite ? "its cells have no area" : "it is not finite")}"));
        }
    }
}
