namespace TileServer.Icechunk.Tests.Infrastructure;

internal static class TestData
{
    public static string Root { get; } = FindRoot();

    public static string Icechunk(string name) => Path.Combine(Root, "tests", "data", "icechunk", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no TileServer.sln above {AppContext.BaseDirectory}");
    }
}
