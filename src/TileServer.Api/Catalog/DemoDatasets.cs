using TileServer.Api.Options;

namespace TileServer.Api.Catalog;

/// <summary>The datasets shipped with the server (see data/demo/README.md for provenance and licences).</summary>
public static class DemoDatasets
{
    public static IReadOnlyDictionary<string, DatasetOptions> Create(string demoFolder) => new Dictionary<string, DatasetOptions>(StringComparer.Ordinal)
    {
        ["demo"] = new()
        {
            Path = System.IO.Path.Combine(demoFolder, "blue-marble-webmercatorquad.zarr"),
            Title = "Blue Marble (NASA), WebMercatorQuad pyramid",
            Attribution = "Blue Marble imagery: NASA Visible Earth",
            DefaultVariable = "rgb",
        },
        ["sst"] = new()
        {
            Path = System.IO.Path.Combine(demoFolder, "oisst.zarr"),
            Title = "NOAA OISST v2 sea surface temperature, 1981-12-31 (2°)",
            Attribution = "NOAA Optimum Interpolation SST v2",
            DefaultVariable = "sst",
            Rendering = new RenderingDefaults { Rescale = "-2,32", ColormapName = "turbo" },
        },
        ["landsat"] = new()
        {
            Path = System.IO.Path.Combine(demoFolder, "landsat-L7_ETMs.zarr"),
            Title = "Landsat 7 ETM+ near Olinda/Recife, Brazil (bands 3,2,1)",
            Attribution = "Landsat imagery: USGS/NASA",
            DefaultVariable = "L7_ETMs",
            Rendering = new RenderingDefaults { Rescale = "20,160", Bidx = "3,2,1" },
        },
    };
}
