using System.Buffers.Binary;
using System.Text;

namespace TileServer.Icechunk.Format;

/// <summary>A stored FlatBuffers payload that breaks the wire format; the reader turns it into an <see cref="IcechunkFormatException"/>.</summary>
internal sealed class FlatBufferException(string message) : Exception(message);

/// <summary>
/// One FlatBuffers table read from untrusted bytes. The wire format: a table starts with a signed 32-bit
/// distance back to its vtable; the vtable holds its own size, the table's size, then one 16-bit offset per
/// field slot (0 = absent). Offsets to tables, vectors and strings are unsigned 32-bit distances forward from
/// where they are stored; a vector starts with its 32-bit element count. Every position is checked against
/// the buffer before it is read, so a corrupt file fails with <see cref="FlatBufferException"/>, never reads
/// out of bounds, and never sizes an allocation from a count the buffer cannot hold.
/// </summary>
internal readonly struct FlatTable
{
    private readonly byte[] _buffer;
    private readonly int _position;
    private readonly int _vtable;
    private readonly int _vtableSize;

    private FlatTable(byte[] buffer, int position)
    {
        _buffer = buffer;
        _position = position;
        long vtable = position - (long)ReadInt32(buffer, position);
        if (vtable < 0 || vtable + 4 > buffer.Length)
        {
            throw new FlatBufferException($"table at {position} points at a vtable outside the buffer");
        }

        _vtable = (int)vtable;
        _vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(_vtable));
        if (_vtableSize < 4 || _vtable + _vtableSize > buffer.Length)
        {
            throw new FlatBufferException($"vtable at {_vtable} has an impossible size {_vtableSize}");
        }
    }

    /// <summary>The root table of a payload (its first four bytes give the root's offset).</summary>
    public static FlatTable Root(byte[] buffer) => new(buffer, Forward(buffer, 0));

    public bool Has(int slot) => FieldPosition(slot) != 0;

    public byte UInt8(int slot, byte fallback = 0) => FieldPosition(slot) is var p and not 0 ? Checked(p, 1)[0] : fallback;

    public ushort UInt16(int slot) => FieldPosition(slot) is var p and not 0 ? BinaryPrimitives.ReadUInt16LittleEndian(Checked(p, 2)) : (ushort)0;

    public uint UInt32(int slot) => FieldPosition(slot) is var p and not 0 ? BinaryPrimitives.ReadUInt32LittleEndian(Checked(p, 4)) : 0;

    public int Int32(int slot) => FieldPosition(slot) is var p and not 0 ? BinaryPrimitives.ReadInt32LittleEndian(Checked(p, 4)) : 0;

    public ulong UInt64(int slot) => FieldPosition(slot) is var p and not 0 ? BinaryPrimitives.ReadUInt64LittleEndian(Checked(p, 8)) : 0;

    /// <summary>A struct stored inline in the table (e.g. a 12-byte object id), or empty when absent.</summary>
    public ReadOnlySpan<byte> Struct(int slot, int size) => FieldPosition(slot) is var p and not 0 ? Checked(p, size) : default;

    public FlatTable? Table(int slot) => FieldPosition(slot) is var p and not 0 ? new FlatTable(_buffer, Forward(_buffer, p)) : null;

    public string? String(int slot)
    {
        var bytes = Vector(slot, 1);
        return bytes is { } v ? Encoding.UTF8.GetString(v.Bytes) : null;
    }

    /// <summary>A vector of <paramref name="elementSize"/>-byte elements (scalars, structs, or 4-byte offsets).</summary>
    public FlatVector? Vector(int slot, int elementSize)
    {
        int p = FieldPosition(slot);
        if (p == 0)
        {
            return null;
        }

        int start = Forward(_buffer, p);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(CheckedIn(_buffer, start, 4));
        if (count * (ulong)elementSize > (ulong)(_buffer.Length - start - 4))
        {
            throw new FlatBufferException($"vector at {start} claims {count} elements of {elementSize} bytes, more than the buffer holds");
        }

        return new FlatVector(_buffer, start + 4, (int)count, elementSize);
    }

    /// <summary>Absolute position of a field's value, or 0 when the field is absent.</summary>
    private int FieldPosition(int slot)
    {
        int entry = 4 + (2 * slot);
        if (entry + 2 > _vtableSize)
        {
            return 0;
        }

        int offset = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(_vtable + entry));
        return offset == 0 ? 0 : _position + offset;
    }

    private ReadOnlySpan<byte> Checked(int position, int size) => CheckedIn(_buffer, position, size);

    internal static ReadOnlySpan<byte> CheckedIn(byte[] buffer, int position, int size)
    {
        if (position < 0 || (long)position + size > buffer.Length)
        {
            throw new FlatBufferException($"{size} bytes at {position} lie outside the {buffer.Length}-byte buffer");
        }

        return buffer.AsSpan(position, size);
    }

    private static int ReadInt32(byte[] buffer, int position) => BinaryPrimitives.ReadInt32LittleEndian(CheckedIn(buffer, position, 4));

    /// <summary>Follows the unsigned offset stored at <paramref name="position"/>.</summary>
    internal static int Forward(byte[] buffer, int position)
    {
        long target = position + (long)BinaryPrimitives.ReadUInt32LittleEndian(CheckedIn(buffer, position, 4));
        if (target + 4 > buffer.Length)
        {
            throw new FlatBufferException($"offset at {position} points outside the buffer");
        }

        return (int)target;
    }

    /// <summary>The table at <paramref name="position"/>, for <see cref="FlatVector"/>.</summary>
    internal static FlatTable At(byte[] buffer, int position) => new(buffer, position);
}

/// <summary>A vector whose extent has been checked against the buffer.</summary>
internal readonly struct FlatVector(byte[] buffer, int start, int count, int elementSize)
{
    public int Count => count;

    public ReadOnlySpan<byte> Bytes => buffer.AsSpan(start, count * elementSize);

    public ReadOnlySpan<byte> Element(int index) => buffer.AsSpan(start + (CheckIndex(index) * elementSize), elementSize);

    public uint UInt32(int index) => BinaryPrimitives.ReadUInt32LittleEndian(Element(index));

    public FlatTable Table(int index) => FlatTable.At(buffer, FlatTable.Forward(buffer, start + (CheckIndex(index) * 4)));

    public string String(int index)
    {
        int at = FlatTable.Forward(buffer, start + (CheckIndex(index) * 4));
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(FlatTable.CheckedIn(buffer, at, 4));
        if (length > int.MaxValue)
        {
            throw new FlatBufferException($"string at {at} claims {length} bytes");
        }

        return Encoding.UTF8.GetString(FlatTable.CheckedIn(buffer, at + 4, (int)length));
    }

    private int CheckIndex(int index) =>
        (uint)index < (uint)count ? index : throw new ArgumentOutOfRangeException(nameof(index), $"index {index} of {count}");
}
