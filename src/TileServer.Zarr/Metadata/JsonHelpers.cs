using System.Text.Json;
using System.Text.Json.Nodes;
using TileServer.Core;

namespace TileServer.Zarr.Metadata;

/// <summary>Small typed accessors over <see cref="JsonNode"/> that fail with <see cref="ZarrFormatException"/>.</summary>
internal static class JsonHelpers
{
    /// <summary>
    /// Duplicate member names are refused while parsing: otherwise <see cref="JsonObject"/> throws an
    /// <see cref="ArgumentException"/> at the first access, wherever that happens.
    /// </summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false };

    /// <summary>The one place Zarr metadata bytes become JSON: malformed bytes become a <see cref="ZarrFormatException"/> naming the key.</summary>
    public static JsonObject ParseObject(byte[] bytes, string path, string key)
    {
        try
        {
            var root = JsonNode.Parse(bytes, documentOptions: DocumentOptions) as JsonObject
                ?? throw new ZarrFormatException(path, $"'{key}' is not a JSON object");
            JsonText.DecodeStrings(root);
            return root;
        }
        catch (JsonException ex)
        {
            throw new ZarrFormatException(path, $"'{key}' is not valid JSON: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new ZarrFormatException(path, $"'{key}' holds text that is not valid UTF-8 (or escapes a lone surrogate): {ex.Message}", ex);
        }
    }

    public static string? GetString(JsonObject obj, string name)
        => obj[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public static long[] GetLongArray(JsonObject obj, string name, string path)
    {
        if (obj[name] is not JsonArray arr)
        {
            throw new ZarrFormatException(path, $"'{name}' must be an array of integers");
        }

        var result = new long[arr.Count];
        for (int i = 0; i < arr.Count; i++)
        {
            result[i] = arr[i] is JsonValue v && v.TryGetValue(out long l) && l >= 0
                ? l
                : throw new ZarrFormatException(path, $"'{name}[{i}]' must be a non-negative integer");
        }

        return result;
    }

    public static int[] GetIntArray(JsonObject obj, string name, string path)
    {
        var longs = GetLongArray(obj, name, path);
        var result = new int[longs.Length];
        for (int i = 0; i < longs.Length; i++)
        {
            result[i] = longs[i] is > 0 and <= int.MaxValue
                ? (int)longs[i]
                : throw new ZarrFormatException(path, $"'{name}[{i}]' must be a positive 32-bit integer");
        }

        return result;
    }

    public static int GetInt(JsonObject? obj, string name, int fallback)
        => obj?[name] is JsonValue v && v.TryGetValue(out int i) ? i : fallback;

    public static double GetDouble(JsonObject? obj, string name, double fallback)
        => obj?[name] is JsonValue v && v.TryGetValue(out double d) ? d : fallback;

    public static JsonObject CloneObject(JsonNode? node)
        => node is JsonObject o ? (JsonObject)o.DeepClone() : new JsonObject();
}
