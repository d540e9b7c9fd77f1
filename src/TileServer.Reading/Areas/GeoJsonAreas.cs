using System.Text.Json;
using System.Text.Json.Nodes;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Valid;
using TileServer.Core;

namespace TileServer.Reading.Areas;

/// <summary>A GeoJSON request body as a FeatureCollection (to answer with) and one polygonal geometry per feature.</summary>
public sealed record GeoJsonAreas(JsonObject FeatureCollection, IReadOnlyList<Geometry> Geometries)
{
    /// <summary>All features' geometries as one (overlaps merged), for an image of them all.</summary>
    public Geometry Union() => Geometries.Count == 1 ? Geometries[0] : NetTopologySuite.Operation.Union.UnaryUnionOp.Union(Geometries);
}

/// <summary>Limits on a GeoJSON body: what one request may ask the server to rasterise.</summary>
public readonly record struct GeoJsonLimits(int MaxFeatures, int MaxVertices);

/// <summary>
/// Reads a GeoJSON Feature, FeatureCollection or bare (Multi)Polygon (RFC 7946) with NetTopologySuite, and rejects what
/// cannot be an area with a 400 that says why: malformed JSON, other geometry types, unclosed or self-crossing rings,
/// too many features or vertices.
/// </summary>
public static class GeoJsonReader
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static GeoJsonAreas Parse(ReadOnlyMemory<byte> body, GeoJsonLimits limits)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
            JsonText.DecodeStrings(root);
        }
        catch (JsonException e)
        {
            throw Bad($"The body is not JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            throw Bad($"The body holds text that is not valid UTF-8 (or escapes a lone surrogate): {e.Message}");
        }

        if (root is not JsonObject obj || obj["type"]?.GetValueKind() != JsonValueKind.String)
        {
            throw Bad("The body must be a GeoJSON object with a \"type\" (Feature, FeatureCollection, Polygon or MultiPolygon).");
        }

        string type = (string)obj["type"]!;
        JsonArray features = type switch
        {
            "FeatureCollection" => obj["features"] as JsonArray ?? throw Bad("A FeatureCollection needs a \"features\" array."),
            "Feature" => [obj.DeepClone()],
            "Polygon" or "MultiPolygon" => [new JsonObject { ["type"] = "Feature", ["properties"] = new JsonObject(), ["geometry"] = obj.DeepClone() }],
            _ => throw Bad($"GeoJSON type '{type}' has no area; send a Feature, FeatureCollection, Polygon or MultiPolygon."),
        };
        if (features.Count == 0)
        {
            throw Bad("The FeatureCollection has no features.");
        }

        if (features.Count > limits.MaxFeatures)
        {
            throw new TooLargeException($"The body has {features.Count} features; at most {limits.MaxFeatures} are accepted per request (TileServer:Tiles:MaxFeatures).", "body");
        }

        var geometries = new List<Geometry>(features.Count);
        long vertices = 0;
        for (int i = 0; i < features.Count; i++)
        {
            if (features[i] is not JsonObject feature || feature["geometry"] is not JsonObject geometryJson)
            {
                throw Bad($"Feature {i} has no geometry object.");
            }

            var geometry = ReadGeometry(geometryJson, i);
            vertices += geometry.NumPoints;
            if (vertices > limits.MaxVertices)
            {
                throw new TooLargeException($"The geometries have more than {limits.MaxVertices} vertices (TileServer:Tiles:MaxVertices); simplify them.", "body");
            }

            Validate(geometry, i);
            geometries.Add(geometry);
            if (feature["properties"] is not JsonObject)
            {
                feature["properties"] = new JsonObject();
            }
        }

        var collection = type == "FeatureCollection" ? (JsonObject)obj.DeepClone() : new JsonObject { ["type"] = "FeatureCollection" };
        collection["features"] = type == "FeatureCollection" ? features.DeepClone() : features;
        return new GeoJsonAreas(collection, geometries);
    }

    private static Geometry ReadGeometry(JsonObject json, int index)
    {
        string? type = json["type"]?.GetValueKind() == JsonValueKind.String ? (string?)json["type"] : null;
        if (type is not ("Polygon" or "MultiPolygon"))
        {
            throw Bad($"Feature {index} has a {type ?? "typeless"} geometry; areas must be Polygon or MultiPolygon.");
        }

        Geometry? geometry;
        try
        {
            geometry = json.Deserialize<Geometry>(Options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException or NotSupportedException)
        {
            throw Bad($"Feature {index} has an invalid {type}: {e.Message}");
        }

        if (geometry is null || geometry.IsEmpty)
        {
            throw Bad($"Feature {index} has an empty geometry.");
        }

        foreach (var c in geometry.Coordinates)
        {
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y))
            {
                throw Bad($"Feature {index} has a coordinate that is not a finite number.");
            }
        }

        return geometry;
    }

    private static void Validate(Geometry geometry, int index)
    {
        var op = new IsValidOp(geometry);
        if (!op.IsValid)
        {
            var error = op.ValidationError;
            throw Bad($"Feature {index} is not a valid polygon: {error.Message} at ({error.Coordinate?.X}, {error.Coordinate?.Y}).");
        }
    }

    private static BadRequestException Bad(string message) => new("body", message);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        return options;
    }
}
