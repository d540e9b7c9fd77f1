namespace TileServer.Reading.Catalog;

/// <summary>The datasets shipped with the server (see data/demo/README.md for provenance and licences).</summary>
public static class DemoDatasets
{
    public static IReadOnlyList<DatasetDefinition> Create(string demoFolder) =>
    [
        new()
        {
            Id = "demo",
            Path = System.IO.Path.Combine(demoFolder, "blue-marble-webmercatorquad.zarr"),
            Title = "Blue Marble (NASA), WebMercatorQuad pyramid",
            Attribution = "Blue Marble imagery: NASA Visible Earth",
            DefaultVariable = "rgb",
            IsDemo = true,
        },
        new()
        {
            Id = "sst",
            Path = System.IO.Path.Combine(demoFolder, "oisst.zarr"),
            Title = "NOAA OISST v2 sea surface temperature, 1981-12-31 (2°)",
            Attribution = "NOAA Optimum Interpolation SST v2",
            DefaultVariable = "sst",
            Rendering = new DatasetRendering { Rescale = [new Stretch(-2, 32)], ColormapName = "turbo" },
            IsDemo = true,
        },
        new()
        {
            Id = "landsat",
            Path = System.IO.Path.Combine(demoFolder, "landsat-L7_ETMs.zarr"),
            Title = "Landsat 7 ETM+ near Olinda/Recife, Brazil (bands 3,2,1)",
            Attribution = "Landsat imagery: USGS/NASA",
            DefaultVariable = "L7_ETMs",
            Rendering = new DatasetRendering { Rescale = [new Stretch(20, 160)], Bidx = [3, 2, 1] },
            IsDemo = true,
        },
    ];
}
