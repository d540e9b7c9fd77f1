using TileServer.Crs;
using TileServer.Reading.Raster;
using TileServer.Reading.Style;

namespace TileServer.Reading;

/// <summary>What every <see cref="DatasetReader"/> shares: the CRS engine, the raster reader, cached statistics and the options.</summary>
public sealed class ReaderServices
{
    public ReaderServices(CrsRegistry crs, ReaderOptions options)
    {
        Crs = crs;
        Options = options;
        Raster = new RasterReader(crs, options);
    }

    public CrsRegistry Crs { get; }
    public ReaderOptions Options { get; }
    public RasterReader Raster { get; }
    public StatisticsCache Statistics { get; } = new();
}
