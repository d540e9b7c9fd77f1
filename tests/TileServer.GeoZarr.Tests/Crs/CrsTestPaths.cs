using System.Text.Json.Nodes;

namespace TileServer.GeoZarr.Tests.Crs;

/// <summary>Locates the repository (folder with TileServer.sln), the shared data beside it and this folder's reference JSON.</summary>
internal static class CrsTestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TileServer.sln not found above " + AppContext.BaseDirectory);
    });

    private static readonly Lazy<JsonObject> ReferenceDoc = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Root.Value, "tests", "TileServer.GeoZarr.Tests", "Crs", "crs_reference.json")))!);

    public static string Shared(params string[] parts) => Path.Combine([Root.Value, "..", "shared", .. parts]);

    public static JsonObject LoadJson(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    public static IReadOnlyList<JsonObject> ReferenceCases => ReferenceDoc.Value["cases"]!.AsArray().Select(c => (JsonObject)c!).ToList();

    public static JsonObject LoadReferenceProjNetCase(int index) => (JsonObject)ReferenceDoc.Value["projnet_cases"]![index]!;

    public static JsonObject LoadReferenceHelmert() => (JsonObject)ReferenceDoc.Value["helmert"]!;

    public static JsonObject ReferenceCase(string name) => ReferenceCases.Single(c => (string)c["name"]! == name);
}
