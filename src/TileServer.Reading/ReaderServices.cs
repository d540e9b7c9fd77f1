using TileServer.Crs;
using TileServer.Reading.Raster;
using TileServer.Reading.Style;

namespace TileServer.Reading;

/// <summary>What every <see cref="DatasetReader"/> shares: the CRS engine, the raster reader, cached statistics, store health and the options.</summary>
public sealed class ReaderServices
{
    public ReaderServices(CrsRegistry crs, ReaderOptions options, DefaultStretchOptions? stretch = null, StoreHealthView? storeHealth = null, TimeProvider? time = null)
    {
        Crs = crs;
        Options = options;
        Stretch = stretch ?? new DefaultStretchOptions();
        StoreHealth = storeHealth;
        Raster = new RasterReader(crs, options);
        Statistics = new StatisticsCache(Stretch, time);
    }

    public CrsRegistry Crs { get; }
    public ReaderOptions Options { get; }
    public DefaultStretchOptions Stretch { get; }
    public RasterReader Raster { get; }
    public StatisticsCache Statistics { get; }

    /// <summary>Health of the remote stores; null when not tracked (e.g. a reader built without a store factory).</summary>
    public StoreHealthView? StoreHealth { get; }
}
