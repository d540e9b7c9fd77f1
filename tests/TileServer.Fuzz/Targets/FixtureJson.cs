using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TileServer.Fuzz.Targets;

/// <summary>Attributes found in the fixtures' metadata documents (tests/data, data/demo), for seeding the attribute parsers.</summary>
public static class FixtureJson
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> AllObjects = new(Load);

    /// <summary>Every JSON object inside every metadata document, depth first.</summary>
    public static IReadOnlyList<JsonObject> Objects => AllObjects.Value;

    /// <summary>Distinct string values of the given attribute names.</summary>
    public static IEnumerable<string> Strings(params string[] names)
        => Objects.SelectMany(o => names.Select(n => o[n])).OfType<JsonValue>()
            .Select(v => v.TryGetValue(out string? s) ? s : null).OfType<string>().Distinct(StringComparer.Ordinal);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static IReadOnlyList<JsonObject> Load()
    {
        var files = RepositoryFiles.Find("tests/data", ".zattrs", ".zmetadata", "zarr.json")
            .Concat(RepositoryFiles.Find("data/demo", ".zattrs", ".zmetadata", "zarr.json"));
        var result = new List<JsonObject>();
        foreach (var file in files)
        {
            try
            {
                Collect(JsonNode.Parse(File.ReadAllBytes(file), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }), result);
            }
            catch (JsonException)
            {
                // Deliberately broken fixtures (duplicate keys, bad JSON) are seeds for the metadata targets, not here.
            }
        }

        return result;
    }

    private static void Collect(JsonNode? node, List<JsonObject> into)
    {
        switch (node)
        {
            case JsonObject o:
                into.Add(o);
                foreach (var (_, child) in o)
                {
                    Collect(child, into);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Collect(child, into);
                }

                break;
        }
    }
}
