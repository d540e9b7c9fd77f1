using System.Text.Json.Nodes;

namespace TileServer.Reading.Inspection;

/// <summary>
/// Says where a variable's CRS came from, following the order in which the GeoZarr reader looks: the GeoZarr
/// <c>proj:</c> attributes (variable, its group, the root), a CF <c>grid_mapping</c> variable, a <c>crs</c> attribute, a
/// grid mapping variable found by name, the multiscales metadata, and lastly longitude/latitude coordinates.
/// </summary>
internal static class CrsProvenance
{
    private static readonly string[] ProjKeys = ["proj:code", "proj:wkt2", "proj:projjson"];

    /// <param name="variable">The variable's name and attributes.</param>
    /// <param name="group">The attributes of the variable's group ("" = root) and of the root.</param>
    /// <param name="arrayAttributes">Attributes of another array of the group, by name (null when absent).</param>
    /// <param name="notes">What the reader noted while opening (it notes its fallbacks).</param>
    public static string Describe(
        (string Name, JsonObject Attributes) variable,
        (string Path, JsonObject Attributes, JsonObject Root) group,
        Func<string, JsonObject?> arrayAttributes,
        IReadOnlyList<string> notes)
    {
        if (ProjKey(variable.Attributes) is { } own)
        {
            return $"{own} attribute of '{variable.Name}'";
        }

        if (group.Path.Length > 0 && ProjKey(group.Attributes) is { } ofGroup)
        {
            return $"{ofGroup} attribute of group '{group.Path}'";
        }

        if (ProjKey(group.Root) is { } ofRoot)
        {
            return $"{ofRoot} attribute of the root group";
        }

        if (Text(variable.Attributes, "grid_mapping") is { Length: > 0 } gridMapping)
        {
            string name = gridMapping.Split(':', 2)[0].Trim();
            return $"CF grid_mapping variable '{name}'{MappingDetail(arrayAttributes(name))}";
        }

        if (Text(variable.Attributes, "crs") is { Length: > 0 })
        {
            return $"'crs' attribute of '{variable.Name}'";
        }

        foreach (var candidate in new[] { "spatial_ref", "crs" })
        {
            if (notes.Any(n => n.Contains($"using the '{candidate}' variable", StringComparison.Ordinal)))
            {
                return $"grid mapping variable '{candidate}' of the group, found by name ('{variable.Name}' names no grid_mapping){MappingDetail(arrayAttributes(candidate))}";
            }
        }

        if (notes.Any(n => n.Contains("assumed EPSG:4326", StringComparison.Ordinal)))
        {
            return "assumed EPSG:4326 from longitude/latitude coordinates (no CRS metadata)";
        }

        return "the multiscales metadata of the root group";
    }

    private static string? ProjKey(JsonObject attributes) => ProjKeys.FirstOrDefault(attributes.ContainsKey);

    private static string MappingDetail(JsonObject? attributes)
    {
        if (attributes is null)
        {
            return "";
        }

        string[] used = [.. new[] { "crs_wkt", "spatial_ref", "grid_mapping_name" }.Where(attributes.ContainsKey)];
        return used.Length == 0 ? "" : $" ({string.Join(", ", used)})";
    }

    private static string? Text(JsonObject attributes, string key) =>
        attributes[key] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
