using TileServer.Documents.Viewer;
using TileServer.Rendering;

namespace TileServer.Documents.Tests.Viewer;

public class ColormapDocumentsTests
{
    [Fact]
    public void The_list_names_each_colormap_and_its_reverse_in_order_with_templated_links()
    {
        var doc = ColormapDocuments.List(["viridis", "greys"], "http://h");
        Assert.Equal(["greys", "greys_r", "viridis", "viridis_r"], doc["colorMaps"]!.AsArray().Select(n => (string)n!));
        var links = doc["links"]!.AsArray();
        Assert.Equal("http://h/colorMaps", (string)links[0]!["href"]!);
        Assert.Null(links[0]!["templated"]);
        Assert.True((bool)links[2]!["templated"]!);
    }

    [Fact]
    public void A_colormap_has_256_rgba_entries_keyed_by_index()
    {
        var doc = ColormapDocuments.Entries(Colormap.Grey());
        Assert.Equal(Colormap.Size, doc.Count);
        Assert.Equal("[255,255,255,255]", doc["255"]!.ToJsonString());
    }
}
