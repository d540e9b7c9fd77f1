using TileServer.Icechunk;
using TileServer.Storage;
using TileServer.Zarr;

namespace TileServer.Reading.Inspection;

/// <summary>
/// Finds the groups and arrays of a store for inspection: from consolidated metadata, from an Icechunk snapshot's node
/// table, or by listing a store that can be listed (a local folder, kerchunk references). A remote store without
/// consolidated metadata cannot be listed, so only its root is known.
/// </summary>
internal static class NodeDiscovery
{
    /// <summary>Most nodes inspected; a larger hierarchy is cut, with a problem saying so.</summary>
    public const int MaxNodes = 10_000;

    private static readonly string[] MetadataNames = ["zarr.json", ".zarray", ".zgroup"];

    /// <summary>Node paths ("" = root) in ordinal order, and how they were found.</summary>
    public static async Task<(IReadOnlyList<string> Paths, string From, bool Truncated)> FindAsync(ZarrHierarchy hierarchy, CancellationToken cancellationToken)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal) { "" };
        string from;
        bool truncated = false;
        if (hierarchy.IsConsolidated)
        {
            from = "consolidated metadata";
            truncated = !AddConsolidated(hierarchy, "", paths);
        }
        else if (hierarchy.Store is IcechunkStore icechunk)
        {
            from = "the Icechunk snapshot";
            foreach (var path in icechunk.NodePaths)
            {
                if (paths.Count >= MaxNodes)
                {
                    truncated = true;
                    break;
                }

                paths.Add(path);
            }
        }
        else if (hierarchy.Store is IListableByteStore listable)
        {
            from = "a listing of the store";
            await foreach (var key in listable.ListKeysAsync(cancellationToken).ConfigureAwait(false))
            {
                int slash = key.LastIndexOf('/');
                string name = slash < 0 ? key : key[(slash + 1)..];
                if (!MetadataNames.Contains(name, StringComparer.Ordinal))
                {
                    continue;
                }

                if (paths.Count >= MaxNodes)
                {
                    truncated = true;
                    break;
                }

                paths.Add(slash < 0 ? "" : key[..slash]);
            }
        }
        else
        {
            from = "the root only (no consolidated metadata, and the store cannot be listed)";
        }

        return ([.. paths], from, truncated);
    }

    private static bool AddConsolidated(ZarrHierarchy hierarchy, string group, SortedSet<string> paths)
    {
        foreach (var (name, isArray) in hierarchy.ListChildren(group))
        {
            if (paths.Count >= MaxNodes)
            {
                return false;
            }

            string path = group.Length == 0 ? name : group + "/" + name;
            paths.Add(path);
            if (!isArray && !AddConsolidated(hierarchy, path, paths))
            {
                return false;
            }
        }

        return true;
    }
}
