namespace TileServer.Icechunk.Format;

/// <summary>
/// Field slots of the Icechunk FlatBuffers tables this reader uses, numbered in declaration order as the
/// specification's schemas (spec versions 1, 2 and 2.1) declare them; a union takes two slots (type, value).
/// Fields added by version 2 come after the version 1 fields, which is why one reader serves both.
/// </summary>
internal static class Slots
{
    public static class Snapshot
    {
        public const int Id = 0, ParentId = 1, Nodes = 2, FlushedAt = 3, Message = 4, ManifestFiles = 6, ManifestFilesV2 = 7;

        /// <summary>Size of the format 1 <c>ManifestFileInfo</c> struct (12-byte id, padding, u64 size, u32 count, padding).</summary>
        public const int ManifestFileInfoSize = 32;
    }

    public static class NodeSnapshot
    {
        public const int Id = 0, Path = 1, UserData = 2, NodeDataType = 3, NodeData = 4;
        public const byte ArrayType = 1, GroupType = 2;
    }

    public static class ArrayNodeData
    {
        public const int Shape = 0, Manifests = 2, ShapeV2 = 3;

        /// <summary>Size of the format 1 <c>DimensionShape</c> struct (u64 array length, u64 chunk length).</summary>
        public const int DimensionShapeSize = 16;
    }

    public static class ManifestRef
    {
        public const int ObjectId = 0, Extents = 1;

        /// <summary>Size of the <c>ChunkIndexRange</c> struct (u32 from, u32 to).</summary>
        public const int ChunkIndexRangeSize = 8;
    }

    public static class Manifest
    {
        public const int Id = 0, Arrays = 1, LocationDictionary = 2, CompressionAlgorithm = 3;
    }

    public static class ArrayManifest
    {
        public const int NodeId = 0, Refs = 1;
    }

    public static class ChunkRef
    {
        public const int Index = 0, Inline = 1, Offset = 2, Length = 3, ChunkId = 4, Location = 5, CompressedLocation = 8;
    }

    public static class Repo
    {
        public const int Tags = 1, Branches = 2, DeletedTags = 3, Snapshots = 4;
    }

    public static class Ref
    {
        public const int Name = 0, SnapshotIndex = 1;
    }

    public static class SnapshotInfo
    {
        public const int Id = 0, ParentOffset = 1, FlushedAt = 2, Message = 3;
    }

    public static class TransactionLog
    {
        public const int Id = 0, NewGroups = 1, NewArrays = 2, DeletedGroups = 3, DeletedArrays = 4, UpdatedArrays = 5, UpdatedGroups = 6, UpdatedChunks = 7;
    }

    public static class ArrayUpdatedChunks
    {
        public const int NodeId = 0, Chunks = 1;
    }

    public static class ChunkIndices
    {
        public const int Coords = 0;
    }
}
