using System.Text;
using System.Text.Json;

namespace TileServer.Storage.Kerchunk;

/// <summary>
/// Parses kerchunk/fsspec reference JSON, versions 0 and 1 (https://fsspec.github.io/kerchunk/spec.html):
/// values are inline strings (<c>base64:</c> prefix for binary), <c>[url]</c> or <c>[url, offset, length]</c>;
/// version 1 adds <c>templates</c> (<c>{{name}}</c> in URLs) and <c>gen</c> (keys generated over integer
/// dimensions). Relative URLs are resolved against <c>baseFolder</c>, the folder of the reference file.
/// </summary>
public static class KerchunkReferences
{
    /// <summary>Upper bound on references, explicit plus generated, so a hostile <c>gen</c> cannot exhaust memory.</summary>
    public const int MaxReferences = 5_000_000;

    /// <summary>
    /// The parser's entry point: whatever the bytes hold, the only exception it throws is
    /// <see cref="KerchunkFormatException"/> naming the file and, where there is one, the offending key.
    /// </summary>
    public static IReadOnlyDictionary<string, ChunkReference> Parse(ReadOnlyMemory<byte> json, string baseFolder, string location, string fileKey)
    {
        try
        {
            return ParseDocument(json, baseFolder, location, fileKey);
        }
        catch (Exception ex) when (ex is not (TileServerException or OperationCanceledException or OutOfMemoryException))
        {
            throw new KerchunkFormatException(location, fileKey, ex.Message, ex);
        }
    }

    private static IReadOnlyDictionary<string, ChunkReference> ParseDocument(ReadOnlyMemory<byte> json, string baseFolder, string location, string fileKey)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new KerchunkFormatException(location, fileKey, $"not JSON ({ex.Message})", ex);
        }

        using (document)
        {
            var context = new Context(baseFolder, location, fileKey);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw context.Error("the top level must be a JSON object");
            }

            if (root.TryGetProperty("zarr_format", out _) || root.TryGetProperty("zarr_consolidated_format", out _))
            {
                throw context.Error("this is Zarr metadata, not kerchunk references; open the folder that holds it as the store");
            }

            if (!root.TryGetProperty("version", out var version))
            {
                context.AddRefs(root);
                return context.References;
            }

            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int v) || v != 1)
            {
                throw context.Error($"unsupported version {version.GetRawText()} (versions 0 and 1 are supported)");
            }

            if (root.TryGetProperty("templates", out var templates))
            {
                context.ReadTemplates(templates);
            }

            if (root.TryGetProperty("refs", out var refs))
            {
                if (refs.ValueKind != JsonValueKind.Object)
                {
                    throw context.Error("'refs' must be an object");
                }

                context.AddRefs(refs);
            }

            if (root.TryGetProperty("gen", out var gen))
            {
                context.AddGenerated(gen);
            }

            return context.References;
        }
    }

    private sealed class Context(string baseFolder, string location, string fileKey)
    {
        private readonly Dictionary<string, string> _templates = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _urlCache = new(StringComparer.Ordinal);

        public Dictionary<string, ChunkReference> References { get; } = new(StringComparer.Ordinal);

        public KerchunkFormatException Error(string message, Exception? inner = null) => new(location, fileKey, message, inner);

        public void ReadTemplates(JsonElement templates)
        {
            if (templates.ValueKind != JsonValueKind.Object)
            {
                throw Error("'templates' must be an object of strings");
            }

            foreach (var template in templates.EnumerateObject())
            {
                if (template.Value.ValueKind != JsonValueKind.String)
                {
                    throw Error($"template '{template.Name}' is not a string");
                }

                _templates[template.Name] = template.Value.GetString()!;
            }
        }

        public void AddRefs(JsonElement refs)
        {
            foreach (var entry in refs.EnumerateObject())
            {
                Add(entry.Name, ParseValue(entry.Name, entry.Value));
            }
        }

        public void AddGenerated(JsonElement gen)
        {
            if (gen.ValueKind != JsonValueKind.Array)
            {
                throw Error("'gen' must be an array");
            }

            foreach (var generator in gen.EnumerateArray())
            {
                AddGenerator(generator);
            }
        }

        private void Add(string key, ChunkReference reference)
        {
            if (References.Count >= MaxReferences && !References.ContainsKey(key))
            {
                throw Error($"more than {MaxReferences} references");
            }

            References[key] = reference;
        }

        private ChunkReference ParseValue(string key, JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    return ChunkReference.FromInline(DecodeInline(key, value.GetString()!));
                case JsonValueKind.Object:
                    // Some writers embed .zarray/.zattrs as JSON objects rather than strings.
                    return ChunkReference.FromInline(Encoding.UTF8.GetBytes(value.GetRawText()));
                case JsonValueKind.Array:
                    int count = value.GetArrayLength();
                    if (count is not (1 or 3) || value[0].ValueKind != JsonValueKind.String)
                    {
                        throw Error($"key '{key}': a reference must be [url] or [url, offset, length], got {Shorten(value.GetRawText())}");
                    }

                    string url = ResolveUrl(key, value[0].GetString()!);
                    if (count == 1)
                    {
                        return ChunkReference.FromObject(url);
                    }

                    if (!TryGetInteger(value[1], out long offset) || !TryGetInteger(value[2], out long length) || !IsRange(offset, length))
                    {
                        throw Error($"key '{key}': offset and length must be non-negative integers whose sum fits in 64 bits, got {Shorten(value.GetRawText())}");
                    }

                    return ChunkReference.FromRange(url, offset, length);
                default:
                    throw Error($"key '{key}': unsupported value {Shorten(value.GetRawText())}");
            }
        }

        private byte[] DecodeInline(string key, string text)
        {
            if (!text.StartsWith("base64:", StringComparison.Ordinal))
            {
                return Encoding.UTF8.GetBytes(text);
            }

            try
            {
                return Convert.FromBase64String(text[7..]);
            }
            catch (FormatException ex)
            {
                throw Error($"key '{key}': invalid base64 data", ex);
            }
        }

        private string ResolveUrl(string key, string url)
        {
            if (_urlCache.TryGetValue(url, out var resolved))
            {
                return resolved;
            }

            try
            {
                string rendered = _templates.Count > 0 ? TemplateExpression.Render(url, _templates) : url;
                resolved = StoreLocation.Resolve(baseFolder, rendered);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                throw Error($"key '{key}': cannot resolve url '{url}': {ex.Message}", ex);
            }

            // Thousands of chunks share a handful of URLs: keep one string per URL.
            _urlCache[url] = resolved;
            return resolved;
        }

        private void AddGenerator(JsonElement generator)
        {
            if (generator.ValueKind != JsonValueKind.Object
                || !generator.TryGetProperty("key", out var keyTemplate) || keyTemplate.ValueKind != JsonValueKind.String
                || !generator.TryGetProperty("url", out var urlTemplate) || urlTemplate.ValueKind != JsonValueKind.String
                || !generator.TryGetProperty("dimensions", out var dimensions) || dimensions.ValueKind != JsonValueKind.Object)
            {
                throw Error($"a 'gen' entry needs string 'key' and 'url' and an object 'dimensions': {Shorten(generator.GetRawText())}");
            }

            string? offsetTemplate = OptionalTemplate(generator, "offset");
            string? lengthTemplate = OptionalTemplate(generator, "length");
            if ((offsetTemplate is null) != (lengthTemplate is null))
            {
                throw Error($"a 'gen' entry needs both 'offset' and 'length' or neither: {Shorten(generator.GetRawText())}");
            }

            var names = new List<string>();
            var values = new List<string[]>();
            long combinations = 1;
            foreach (var dimension in dimensions.EnumerateObject())
            {
                var dimensionValues = DimensionValues(dimension);
                names.Add(dimension.Name);
                values.Add(dimensionValues);
                combinations *= dimensionValues.Length;
                if (combinations > MaxReferences)
                {
                    throw Error($"'gen' entry '{keyTemplate.GetString()}' would generate more than {MaxReferences} references");
                }
            }

            var variables = new Dictionary<string, string>(_templates, StringComparer.Ordinal);
            var index = new int[names.Count];
            for (long n = 0; n < combinations; n++)
            {
                for (int d = 0; d < names.Count; d++)
                {
                    variables[names[d]] = values[d][index[d]];
                }

                try
                {
                    string key = TemplateExpression.Render(keyTemplate.GetString()!, variables);
                    string url = StoreLocation.Resolve(baseFolder, TemplateExpression.Render(urlTemplate.GetString()!, variables));
                    if (offsetTemplate is null)
                    {
                        Add(key, ChunkReference.FromObject(url));
                    }
                    else
                    {
                        long offset = long.Parse(TemplateExpression.Render(offsetTemplate, variables), System.Globalization.CultureInfo.InvariantCulture);
                        long length = long.Parse(TemplateExpression.Render(lengthTemplate!, variables), System.Globalization.CultureInfo.InvariantCulture);
                        if (!IsRange(offset, length))
                        {
                            throw new FormatException($"offset {offset} and length {length} are not a byte range (non-negative, sum within 64 bits)");
                        }

                        Add(key, ChunkReference.FromRange(url, offset, length));
                    }
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
                {
                    throw Error($"'gen' entry '{keyTemplate.GetString()}': {ex.Message}", ex);
                }

                // Odometer over the dimensions, last one fastest (itertools.product order).
                for (int d = names.Count - 1; d >= 0; d--)
                {
                    if (++index[d] < values[d].Length)
                    {
                        break;
                    }

                    index[d] = 0;
                }
            }
        }

        private string? OptionalTemplate(JsonElement generator, string name)
        {
            if (!generator.TryGetProperty(name, out var value))
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => throw Error($"'gen' {name} must be a string or a number"),
            };
        }

        private string[] DimensionValues(JsonProperty dimension)
        {
            var spec = dimension.Value;
            if (spec.ValueKind == JsonValueKind.Array)
            {
                var list = new string[spec.GetArrayLength()];
                int i = 0;
                foreach (var item in spec.EnumerateArray())
                {
                    list[i++] = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
                }

                return list;
            }

            if (spec.ValueKind == JsonValueKind.Object)
            {
                long start = IntegerOr(spec, "start", 0);
                long stop = IntegerOr(spec, "stop", long.MinValue);
                long step = IntegerOr(spec, "step", 1);
                if (stop == long.MinValue || step <= 0)
                {
                    throw Error($"gen dimension '{dimension.Name}' needs 'stop' and a positive 'step'");
                }

                // In 128 bits: stop - start and the rounding cannot overflow whatever the three integers are.
                Int128 count = stop <= start ? 0 : (((Int128)stop - start + step - 1) / step);
                if (count > MaxReferences)
                {
                    throw Error($"gen dimension '{dimension.Name}' has more than {MaxReferences} values");
                }

                var values = new string[(int)count];
                for (long i = 0; i < values.Length; i++)
                {
                    values[i] = (start + (i * step)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return values;
            }

            throw Error($"gen dimension '{dimension.Name}' must be a list or {{start, stop, step}}");
        }

        private long IntegerOr(JsonElement spec, string name, long fallback)
        {
            if (!spec.TryGetProperty(name, out var value))
            {
                return fallback;
            }

            return TryGetInteger(value, out long number) ? number : throw Error($"gen '{name}' must be an integer");
        }

        private static bool TryGetInteger(JsonElement value, out long number)
        {
            number = 0;
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out number);
        }

        private static bool IsRange(long offset, long length) => offset >= 0 && length >= 0 && length <= long.MaxValue - offset;

        private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
    }
}
