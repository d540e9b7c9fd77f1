namespace TileServer.Zarr.Tests;

/// <summary>Locates the repository (the folder holding TileServer.sln) and the test data beside it.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string ZarrData => Path.Combine(RepoRoot, "tests", "data", "zarr");

    /// <summary>The read-only shared folder next to the clone (real sample data); may be absent.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TileServer.sln not found above " + AppContext.BaseDirectory);
    }
}
