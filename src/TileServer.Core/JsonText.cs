using System.Text.Json;
using System.Text.Json.Nodes;

namespace TileServer.Core;

/// <summary>Outside JSON (store metadata, request bodies) with its text checked where it is parsed.</summary>
public static class JsonText
{
    /// <summary>
    /// Reads every string once. <see cref="JsonNode"/> decodes text lazily, so invalid UTF-8 (or an escaped lone
    /// surrogate) would otherwise throw <see cref="InvalidOperationException"/> wherever it is first read, or when the
    /// document is written back; called right after parsing, the failure belongs to the parse.
    /// </summary>
    public static void DecodeStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    DecodeStrings(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    DecodeStrings(child);
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                v.GetValue<string>();
                break;
        }
    }
}
