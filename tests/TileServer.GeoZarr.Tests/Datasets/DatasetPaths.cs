namespace TileServer.GeoZarr.Tests.Datasets;

internal static class DatasetPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TileServer.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => Root.Value;

    public static string Shared(params string[] parts) => Path.GetFullPath(Path.Combine([Root.Value, "..", "shared", .. parts]));
}
