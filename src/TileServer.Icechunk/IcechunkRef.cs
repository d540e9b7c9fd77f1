namespace TileServer.Icechunk;

/// <summary>What a <see cref="IcechunkRef"/> names.</summary>
public enum IcechunkRefKind
{
    Branch,
    Tag,
    Snapshot,
}

/// <summary>
/// Which version of a repository to read: a branch (mutable: a new commit moves it), a tag (fixed) or a
/// snapshot id. Spelled <c>branch:NAME</c>, <c>tag:NAME</c> or a 20-character snapshot id.
/// </summary>
public sealed record IcechunkRef
{
    private IcechunkRef(IcechunkRefKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public IcechunkRefKind Kind { get; }

    /// <summary>The branch or tag name, or the snapshot id.</summary>
    public string Name { get; }

    public static IcechunkRef MainBranch { get; } = new(IcechunkRefKind.Branch, "main");

    public static IcechunkRef Branch(string name) => new(IcechunkRefKind.Branch, CheckName(name, "branch"));

    public static IcechunkRef Tag(string name) => new(IcechunkRefKind.Tag, CheckName(name, "tag"));

    public static IcechunkRef Snapshot(SnapshotId id) => new(IcechunkRefKind.Snapshot, id.Value);

    /// <summary>Parses <c>branch:NAME</c>, <c>tag:NAME</c> or a snapshot id; null or empty means <c>branch:main</c>.</summary>
    /// <exception cref="FormatException">The text is none of these; the message says what is accepted.</exception>
    public static IcechunkRef Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return MainBranch;
        }

        if (text.StartsWith("branch:", StringComparison.Ordinal))
        {
            return Branch(text["branch:".Length..]);
        }

        if (text.StartsWith("tag:", StringComparison.Ordinal))
        {
            return Tag(text["tag:".Length..]);
        }

        if (SnapshotId.TryParse(text, out var id))
        {
            return Snapshot(id);
        }

        throw new FormatException($"Icechunk ref '{text}' is not 'branch:NAME', 'tag:NAME' or a 20-character snapshot id");
    }

    public override string ToString() => Kind switch
    {
        IcechunkRefKind.Branch => "branch:" + Name,
        IcechunkRefKind.Tag => "tag:" + Name,
        _ => Name,
    };

    // Names become object keys in format 1 (refs/branch.NAME/ref.json): no separators, nothing that climbs.
    private static string CheckName(string name, string kind)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal)
            || name is "." or ".." || name.Any(char.IsControl))
        {
            throw new FormatException($"'{name}' is not a valid {kind} name (it must be non-empty, without '/', '\\' or control characters)");
        }

        return name;
    }
}
