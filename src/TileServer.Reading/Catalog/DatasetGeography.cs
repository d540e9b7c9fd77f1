using TileServer.Crs;
using TileServer.Tiling;
using TileServer.GeoZarr;

namespace TileServer.Reading.Catalog;

/// <summary>Where a dataset lies on the globe and which web-map zooms suit it (computed once per dataset).</summary>
public sealed record DatasetGeography(Extent Wgs84Bounds, int MinZoom, int MaxZoom, double FinestResolutionMeters, double CoarsestResolutionMeters)
{
    private const double EquatorMeters = 40075016.68557849;
    private const double MetersPerDegree = EquatorMeters / 360.0;
    private const double MaxMercatorLatitude = 85.0511287798066;

    public static DatasetGeography Compute(GeoDataset dataset, CrsRegistry crs)
    {
        var finest = dataset.Levels[0].Grid;
        var bounds = ComputeWgs84Bounds(finest, crs);
        double finestM = ResolutionMeters(finest);
        double coarsestM = ResolutionMeters(dataset.Levels[^1].Grid);

        // Max zoom: the first WebMercatorQuad zoom whose pixels are at least as fine as the data's.
        int maxZoom = (int)Math.Clamp(Math.Ceiling(Math.Log2(EquatorMeters / 256.0 / finestM) - 1e-9), 0, 24);
        double spanMeters = Math.Max(bounds.Width * MetersPerDegree * Math.Cos(Math.Clamp((bounds.MinY + bounds.MaxY) / 2, -80, 80) * Math.PI / 180), bounds.Height * MetersPerDegree);
        int minZoom = spanMeters > 0 ? (int)Math.Clamp(Math.Floor(Math.Log2(EquatorMeters / spanMeters)) - 1, 0, maxZoom) : 0;
        return new DatasetGeography(bounds, minZoom, maxZoom, finestM, coarsestM);
    }

    public static double ResolutionMeters(GridGeometry grid)
    {
        double res = Math.Min(grid.ResolutionX, grid.ResolutionY);
        return grid.Crs.IsGeographic ? res * MetersPerDegree : res * grid.Crs.MetersPerUnit;
    }

    /// <summary>Bounds in lon/lat, from a dense sampling of the grid's edges (projections curve them).</summary>
    public static Extent ComputeWgs84Bounds(GridGeometry grid, CrsRegistry crs)
    {
        var native = grid.Bounds;
        if (grid.WrapsLongitude)
        {
            return new Extent(-180, Math.Max(-90, native.MinY), 180, Math.Min(90, native.MaxY));
        }

        var projected = ExtentProjection.Transform(native, crs.CreateTransform(grid.Crs, crs.FromCode("EPSG:4326")));
        if (projected is not { } e)
        {
            return new Extent(-180, -90, 180, 90);
        }

        return new Extent(Math.Max(-180, e.MinX), Math.Max(-90, e.MinY), Math.Min(180, e.MaxX), Math.Min(90, e.MaxY));
    }

    /// <summary>Zoom range in a TMS: WebMercatorQuad from the web-map zooms, others from matrix cell sizes.</summary>
    public (int Min, int Max) ZoomRange(TileMatrixSet tms)
    {
        if (tms.Id == WellKnownTileMatrixSets.WebMercatorQuad)
        {
            return (MinZoom, MaxZoom);
        }

        double mpu = tms.Crs.IsGeographic ? MetersPerDegree : tms.Crs.MetersPerUnit;
        for (int i = 0; i < tms.TileMatrices.Count; i++)
        {
            if (tms.TileMatrices[i].CellSize * mpu <= FinestResolutionMeters * 1.000001)
            {
                return (0, i);
            }
        }

        return (0, tms.TileMatrices.Count - 1);
    }

    /// <summary>Lon/lat bounds as a TileMatrixSet's clients expect them (clamped to ±85.05° for WebMercatorQuad).</summary>
    public Extent BoundsFor(TileMatrixSet tms) => tms.Id == WellKnownTileMatrixSets.WebMercatorQuad ? MercatorClampedBounds : Wgs84Bounds;

    /// <summary>The bounds clamped to the latitudes WebMercatorQuad covers.</summary>
    public Extent MercatorClampedBounds => Wgs84Bounds with
    {
        MinY = Math.Max(Wgs84Bounds.MinY, -MaxMercatorLatitude),
        MaxY = Math.Min(Wgs84Bounds.MaxY, MaxMercatorLatitude),
    };
}
