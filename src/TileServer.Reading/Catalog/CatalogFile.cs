using System.Text.Json;

namespace TileServer.Reading.Catalog;

/// <summary>
/// A catalog file (<c>TileServer:CatalogFile</c>): datasets in JSON shaped like the configuration's
/// <c>{"Datasets": {"id": {"Path": ...}}}</c>, typically a mounted Kubernetes ConfigMap. Read and checked with the
/// same rules as configured datasets; a file with any error yields no datasets, so that the caller keeps the catalog it has.
/// </summary>
public static class CatalogFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The file's datasets, or null with every problem in <paramref name="errors"/>.</summary>
    public static IReadOnlyList<DatasetDefinition>? Load(string path, IReadOnlyCollection<string> reservedIds, List<string> errors)
    {
        Content? content;
        try
        {
            content = JsonSerializer.Deserialize<Content>(File.ReadAllBytes(path), Json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            errors.Add($"TileServer:CatalogFile '{path}' cannot be read as a catalog ({{\"Datasets\": {{\"id\": {{\"Path\": ...}}}}}}): {ex.Message}");
            return null;
        }

        if (content?.Datasets is null)
        {
            errors.Add($"TileServer:CatalogFile '{path}' has no \"Datasets\" object");
            return null;
        }

        int before = errors.Count;
        var result = new List<DatasetDefinition>();
        foreach (var (id, options) in content.Datasets)
        {
            if (reservedIds.Contains(id))
            {
                errors.Add($"TileServer:CatalogFile: dataset '{id}' is already configured in TileServer:Datasets; give it another id");
                continue;
            }

            if (options is null)
            {
                errors.Add($"TileServer:CatalogFile: dataset '{id}' is null; give an object with at least \"Path\"");
                continue;
            }

            if (DatasetDefinition.Parse(id, options, errors) is { } definition)
            {
                result.Add(definition);
            }
        }

        return errors.Count > before ? null : result;
    }

    private sealed class Content
    {
        public Dictionary<string, DatasetOptions?>? Datasets { get; init; }
    }
}
