using System.Text.Json.Nodes;

namespace TileServer.Crs.Tests;

/// <summary>This folder's reference JSON (CRS cases computed with pyproj) and JSON files of the test data.</summary>
internal static class CrsTestPaths
{
    private static readonly Lazy<JsonObject> ReferenceDoc = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(TestPaths.Repo("tests", "TileServer.Crs.Tests", "crs_reference.json")))!);

    public static JsonObject LoadJson(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    public static IReadOnlyList<JsonObject> ReferenceCases => ReferenceDoc.Value["cases"]!.AsArray().Select(c => (JsonObject)c!).ToList();

    public static JsonObject LoadReferenceProjNetCase(int index) => (JsonObject)ReferenceDoc.Value["projnet_cases"]![index]!;

    public static JsonObject LoadReferenceHelmert() => (JsonObject)ReferenceDoc.Value["helmert"]!;

    public static JsonObject ReferenceCase(string name) => ReferenceCases.Single(c => (string)c["name"]! == name);
}
