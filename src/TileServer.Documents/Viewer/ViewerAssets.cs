using System.Collections.Frozen;
using System.Text.Json;

namespace TileServer.Documents.Viewer;

/// <summary>A static file of the viewer: where it is on disk and how it is served.</summary>
public sealed record ViewerAsset(string RelativePath, string FullPath, string ContentType, DateTimeOffset LastModified, string ETag);

/// <summary>
/// The viewer's files in <c>viewer/</c> beside the application (viewer.html, viewer.js and MapLibre's dist, put
/// there by Viewer.targets). Listed once at startup: only those files can be served, so no request path reaches
/// the disk. Missing files (a build without npm) make the viewer answer 503 with the reason.
/// </summary>
public sealed class ViewerAssets
{
    public const string Folder = "viewer";
    private const string PagePlaceholder = "{{VIEWER_CONFIG}}";

    private readonly FrozenDictionary<string, ViewerAsset> _files;
    private readonly string? _pageTemplate;

    public ViewerAssets()
        : this(Path.Combine(AppContext.BaseDirectory, Folder))
    {
    }

    public ViewerAssets(string root)
    {
        var files = new Dictionary<string, ViewerAsset>(StringComparer.Ordinal);
        if (Directory.Exists(root))
        {
            foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                if (ContentTypeOf(relative) is not { } type)
                {
                    continue;
                }

                var info = new FileInfo(path);
                string etag = "\"" + info.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "-" + info.LastWriteTimeUtc.Ticks.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\"";
                files[relative] = new ViewerAsset(relative, path, type, info.LastWriteTimeUtc, etag);
            }
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
        if (_files.TryGetValue("viewer.html", out var page))
        {
            _pageTemplate = File.ReadAllText(page.FullPath);
        }

        string[] required = ["viewer.html", "viewer.js", "maplibre-gl/maplibre-gl.mjs", "maplibre-gl/maplibre-gl-worker.mjs", "maplibre-gl/maplibre-gl.css"];
        Missing = [.. required.Where(r => !_files.ContainsKey(r))];
        Root = root;
    }

    public string Root { get; }

    /// <summary>Required files that are not there (empty when the viewer can work).</summary>
    public IReadOnlyList<string> Missing { get; }

    public bool TryGet(string relativePath, out ViewerAsset asset)
        => _files.TryGetValue(relativePath, out asset!) && relativePath != "viewer.html";

    /// <summary>The page for a dataset: the template with its configuration as JSON (which escapes &lt; and &amp;, so it cannot close the script element).</summary>
    public string Page(ViewerPageConfig config)
    {
        if (_pageTemplate is null)
        {
            throw new InvalidOperationException("viewer.html is missing");
        }

        return _pageTemplate.Replace(PagePlaceholder, JsonSerializer.Serialize(config, ViewerJson.Options), StringComparison.Ordinal);
    }

    private static string? ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" or ".mjs" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => null,
    };
}

/// <summary>What the page's script needs to know: the dataset and where the API is (the path base, so it works behind a proxy prefix).</summary>
public sealed record ViewerPageConfig(string Dataset, string Title, string ApiBase, string AssetBase, string? BasemapDataset);

internal static class ViewerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
