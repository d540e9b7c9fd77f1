using System.Text.Json;
using System.Text.Json.Nodes;
using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>Reads TMS 2.0 JSON (and TMS 1.0 JSON, normalised to 2.0 names) into a <see cref="TileMatrixSet"/>.</summary>
internal static class TileMatrixSetParser
{
    /// <summary>Widest and tallest tile accepted, in pixels: far above any set in use, far below what overflows a tile buffer.</summary>
    public const int MaxTileSize = 16384;

    private static readonly string[] NorthFirstAxisNames = ["lat", "latitude", "y", "n", "north", "northing"];

    /// <summary>
    /// The parser's entry point: whatever the document holds, what leaves is a <see cref="TileMatrixSet"/> or a
    /// <see cref="TileMatrixSetException"/> (a CRS that cannot be resolved included).
    /// </summary>
    public static TileMatrixSet Parse(JsonObject source, Func<JsonNode, CrsInfo> resolveCrs)
    {
        try
        {
            return Read(source, resolveCrs);
        }
        catch (Exception e) when (e is not (TileServerException or OperationCanceledException or OutOfMemoryException))
        {
            throw new TileMatrixSetException($"TileMatrixSet cannot be read: {e.Message}", e);
        }
    }

    private static TileMatrixSet Read(JsonObject source, Func<JsonNode, CrsInfo> resolveCrs)
    {
        var json = Normalise(source);
        string id = GetString(json, "id") ?? throw new TileMatrixSetException("TileMatrixSet has no 'id'");
        var crsNode = json["crs"] ?? throw new TileMatrixSetException($"TileMatrixSet '{id}' has no 'crs'");
        CrsInfo crs;
        try
        {
            crs = resolveCrs(crsNode);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            // Whatever the resolver throws, the set is what cannot be used; the CRS text says why.
            throw new TileMatrixSetException($"TileMatrixSet '{id}': CRS {Describe(crsNode)} cannot be resolved: {e.Message}", e);
        }

        IReadOnlyList<string>? axes = null;
        if (json["orderedAxes"] is JsonArray axesArray)
        {
            axes = axesArray.Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
                : throw new TileMatrixSetException($"TileMatrixSet '{id}': orderedAxes must be names, got {a?.ToJsonString() ?? "null"}")).ToArray();
        }

        bool northFirst = axes is { Count: >= 1 }
            ? NorthFirstAxisNames.Contains(axes[0].Trim(), StringComparer.OrdinalIgnoreCase)
            : crs.AuthorityAxisOrderIsNorthEast;

        if (json["tileMatrices"] is not JsonArray matricesJson || matricesJson.Count == 0)
        {
            throw new TileMatrixSetException($"TileMatrixSet '{id}' has no 'tileMatrices'");
        }

        double metersPerUnit = crs.IsGeographic ? ScaleMath.MetersPerDegree : crs.MetersPerUnit;
        var matrices = new List<TileMatrix>(matricesJson.Count);
        foreach (var node in matricesJson)
        {
            if (node is not JsonObject mo)
            {
                throw new TileMatrixSetException($"TileMatrixSet '{id}': a tile matrix is not an object");
            }

            matrices.Add(ParseMatrix(id, mo, metersPerUnit));
        }

        Extent? bbox = null;
        if (json["boundingBox"] is JsonObject bb && bb["lowerLeft"] is JsonArray lo && bb["upperRight"] is JsonArray hi && lo.Count >= 2 && hi.Count >= 2)
        {
            double a0 = Num(lo[0], id, "boundingBox"), a1 = Num(lo[1], id, "boundingBox");
            double b0 = Num(hi[0], id, "boundingBox"), b1 = Num(hi[1], id, "boundingBox");
            bbox = northFirst ? new Extent(a1, a0, b1, b0) : new Extent(a0, a1, b0, b1);
        }

        return new TileMatrixSet
        {
            Id = id,
            Title = GetString(json, "title"),
            Uri = GetString(json, "uri"),
            CrsUri = CrsText(crsNode, crs),
            Crs = crs,
            OrderedAxes = axes,
            TileMatrices = matrices,
            BoundingBox = bbox,
            Json = json,
            NorthingFirst = northFirst,
        };
    }

    private static TileMatrix ParseMatrix(string tmsId, JsonObject mo, double metersPerUnit)
    {
        string mid = GetString(mo, "id") ?? throw new TileMatrixSetException($"TileMatrixSet '{tmsId}': a tile matrix has no 'id'");
        string where = $"TileMatrixSet '{tmsId}' matrix '{mid}'";
        double scale = Num(mo["scaleDenominator"], tmsId, $"matrix '{mid}' scaleDenominator");
        double cell = mo["cellSize"] is { } c ? Num(c, tmsId, $"matrix '{mid}' cellSize") : ScaleMath.CellSizeFromScale(scale, metersPerUnit);
        if (!(cell > 0) || double.IsInfinity(cell))
        {
            throw new TileMatrixSetException($"{where}: cellSize {cell} is not a positive number");
        }

        if (mo["pointOfOrigin"] is not JsonArray origin || origin.Count < 2)
        {
            throw new TileMatrixSetException($"{where}: 'pointOfOrigin' must be an array of 2 numbers");
        }

        List<VariableMatrixWidth>? vmw = null;
        if (mo["variableMatrixWidths"] is JsonArray vArr)
        {
            vmw = [];
            foreach (var v in vArr)
            {
                if (v is JsonObject vo)
                {
                    vmw.Add(new VariableMatrixWidth(Int32(vo["coalesce"], tmsId, where + " coalesce", 1, int.MaxValue), Int(vo["minTileRow"], tmsId, where + " minTileRow"), Int(vo["maxTileRow"], tmsId, where + " maxTileRow")));
                }
            }
        }

        var m = new TileMatrix
        {
            Id = mid,
            ScaleDenominator = scale,
            CellSize = cell,
            CornerOfOrigin = GetString(mo, "cornerOfOrigin") ?? "topLeft",
            PointOfOrigin = [Num(origin[0], tmsId, where + " pointOfOrigin"), Num(origin[1], tmsId, where + " pointOfOrigin")],
            TileWidth = Int32(mo["tileWidth"], tmsId, where + " tileWidth", 1, MaxTileSize),
            TileHeight = Int32(mo["tileHeight"], tmsId, where + " tileHeight", 1, MaxTileSize),
            MatrixWidth = Int(mo["matrixWidth"], tmsId, where + " matrixWidth"),
            MatrixHeight = Int(mo["matrixHeight"], tmsId, where + " matrixHeight"),
            VariableMatrixWidths = vmw,
        };
        if (m.TileWidth < 1 || m.TileHeight < 1 || m.MatrixWidth < 1 || m.MatrixHeight < 1)
        {
            throw new TileMatrixSetException($"{where}: tile and matrix sizes must be >= 1");
        }

        if (m.CornerOfOrigin is not ("topLeft" or "bottomLeft"))
        {
            throw new TileMatrixSetException($"{where}: cornerOfOrigin '{m.CornerOfOrigin}' is not topLeft or bottomLeft");
        }

        return m;
    }

    /// <summary>A deep copy of the document with TMS 1.0 member names mapped to their 2.0 equivalents.</summary>
    private static JsonObject Normalise(JsonObject source)
    {
        var json = (JsonObject)source.DeepClone();
        bool isV1 = json["tileMatrix"] is JsonArray && json["tileMatrices"] is null;
        if (!isV1)
        {
            return json;
        }

        var out2 = new JsonObject();
        foreach (var (key, value) in json)
        {
            switch (key)
            {
                case "type":
                    break;
                case "identifier":
                    out2["id"] = value?.DeepClone();
                    break;
                case "supportedCRS":
                    out2["crs"] = value?.DeepClone();
                    break;
                case "boundingBox" when value is JsonObject bb:
                    out2["boundingBox"] = new JsonObject { ["lowerLeft"] = bb["lowerCorner"]?.DeepClone(), ["upperRight"] = bb["upperCorner"]?.DeepClone() };
                    break;
                case "tileMatrix" when value is JsonArray arr:
                    var matrices = new JsonArray();
                    foreach (var m in arr.OfType<JsonObject>())
                    {
                        var m2 = new JsonObject();
                        foreach (var (mk, mv) in m)
                        {
                            string name = mk switch { "identifier" => "id", "topLeftCorner" => "pointOfOrigin", _ => mk };
                            if (mk != "type")
                            {
                                m2[name] = mv?.DeepClone();
                            }
                        }

                        matrices.Add(m2);
                    }

                    out2["tileMatrices"] = matrices;
                    break;
                default:
                    if (!out2.ContainsKey(key))
                    {
                        out2[key] = value?.DeepClone();
                    }

                    break;
            }
        }

        return out2;
    }

    private static string CrsText(JsonNode crsNode, CrsInfo crs) => crsNode switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonObject o when o["uri"] is JsonValue u && u.GetValueKind() == JsonValueKind.String => u.GetValue<string>(),
        _ => crs.Uri ?? crs.Wkt,
    };

    private static string Describe(JsonNode n)
    {
        string s = n.ToJsonString();
        return s.Length > 120 ? s[..120] + "…" : s;
    }

    private static string? GetString(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : o[name] is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? n.ToJsonString() : null;

    private static double Num(JsonNode? n, string tmsId, string what)
    {
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            double d = v.GetValue<double>();
            if (double.IsFinite(d))
            {
                return d;
            }
        }

        throw new TileMatrixSetException($"TileMatrixSet '{tmsId}': {what} must be a finite number, got {n?.ToJsonString() ?? "nothing"}");
    }

    private static long Int(JsonNode? n, string tmsId, string what)
    {
        double d = Num(n, tmsId, what);
        if (Math.Floor(d) != d || Math.Abs(d) > (1L << 53))
        {
            throw new TileMatrixSetException($"TileMatrixSet '{tmsId}': {what} must be an integer, got {d}");
        }

        return (long)d;
    }

    private static int Int32(JsonNode? n, string tmsId, string what, int min, int max)
    {
        long v = Int(n, tmsId, what);
        return v >= min && v <= max ? (int)v : throw new TileMatrixSetException($"TileMatrixSet '{tmsId}': {what} must be between {min} and {max}, got {v}");
    }
}
