namespace TileServer.Icechunk.UpstreamTests;

/// <summary>
/// Upstream Icechunk's test repositories (a copy of icechunk-python/tests/data/ of earth-mover/icechunk), found in
/// the folder named by <see cref="Variable"/>; tests/icechunk-upstream.sh sets it.
/// </summary>
internal static class UpstreamData
{
    public const string Variable = "ICECHUNK_UPSTREAM_DATA";

    public static string Repository(string name)
    {
        string? root = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(root))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: run tests/icechunk-upstream.sh DIR with DIR a copy of upstream's icechunk-python/tests/data "
                + "(tests/data/icechunk/README.md says where to get it)");
        }

        string path = Path.Combine(root, name);
        if (!Directory.Exists(path))
        {
            throw new InvalidOperationException(
                $"upstream Icechunk test repository '{name}' is missing ({path}); {Variable} must name a copy of upstream's "
                + "icechunk-python/tests/data at the commit tests/data/icechunk/README.md gives");
        }

        return path;
    }
}
