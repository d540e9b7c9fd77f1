namespace TileServer.Reading.Catalog;

/// <summary>The datasets shipped with the server (see data/demo/README.md for provenance and licences).</summary>
public static class DemoDatasets
{
    public static IReadOnlyList<DatasetDefinition> Create(string demoFolder) =>
    [
        Demo(demoFolder, "demo", "blue-marble-webmercatorquad.zarr", "Blue Marble (NASA), WebMercatorQuad pyramid",
            "Blue Marble imagery: NASA Visible Earth", "rgb", DatasetRendering.None),
        Demo(demoFolder, "sst", "oisst.zarr", "NOAA OISST v2 sea surface temperature, 1981-12-31 (2°)",
            "NOAA Optimum Interpolation SST v2", "sst", new DatasetRendering { Rescale = [new Stretch(-2, 32)], ColormapName = "turbo" }),
        Demo(demoFolder, "landsat", "landsat-L7_ETMs.zarr", "Landsat 7 ETM+ near Olinda/Recife, Brazil (bands 3,2,1)",
            "Landsat imagery: USGS/NASA", "L7_ETMs", new DatasetRendering { Rescale = [new Stretch(20, 160)], Bidx = [3, 2, 1] }),
    ];

    private static DatasetDefinition Demo(string demoFolder, string id, string store, string title, string attribution, string variable, DatasetRendering rendering) => new()
    {
        Id = id,
        Path = System.IO.Path.Combine(demoFolder, store),
        Title = title,
        Attribution = attribution,
        DefaultVariable = variable,
        Rendering = rendering,
        IsDemo = true,
    };
}
