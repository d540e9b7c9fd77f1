using System.Buffers.Binary;
using System.Text;

namespace TileServer.Icechunk.Tests.Writer;

/// <summary>
/// A minimal FlatBuffers builder for writing test repositories. Like the reference builders it fills the buffer
/// from the end, children before parents, so every stored offset points forward; values are aligned to their
/// size relative to the final buffer start. Offsets returned are distances from the end of the buffer.
/// </summary>
internal sealed class FlatBuilder
{
    private byte[] _buffer = new byte[1024];
    private int _head = 1024;
    private int _minAlign = 1;
    private int _tableStart = -1;
    private readonly List<(int Slot, int Offset)> _fields = [];

    private int Size => _buffer.Length - _head;

    public int CreateString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Prep(4, bytes.Length + 1);
        PutByte(0);
        PutBytes(bytes);
        PutUInt32((uint)bytes.Length);
        return Size;
    }

    /// <summary>A vector of scalars or structs given as their little-endian bytes.</summary>
    public int CreateVector(ReadOnlySpan<byte> elements, int elementSize, int alignment)
    {
        Prep(4, elements.Length);
        Prep(Math.Max(alignment, 1), elements.Length);
        PutBytes(elements);
        PutUInt32((uint)(elements.Length / elementSize));
        return Size;
    }

    public int CreateOffsetVector(IReadOnlyList<int> offsets)
    {
        Prep(4, 4 * offsets.Count);
        for (int i = offsets.Count - 1; i >= 0; i--)
        {
            PutUOffset(offsets[i]);
        }

        PutUInt32((uint)offsets.Count);
        return Size;
    }

    public void StartTable()
    {
        _fields.Clear();
        _tableStart = Size;
    }

    public void AddUInt8(int slot, byte value) => AddScalar(slot, 1, b => b[0] = value);

    public void AddUInt32(int slot, uint value) => AddScalar(slot, 4, b => BinaryPrimitives.WriteUInt32LittleEndian(b, value));

    public void AddInt32(int slot, int value) => AddScalar(slot, 4, b => BinaryPrimitives.WriteInt32LittleEndian(b, value));

    public void AddUInt64(int slot, ulong value) => AddScalar(slot, 8, b => BinaryPrimitives.WriteUInt64LittleEndian(b, value));

    public void AddOffset(int slot, int target)
    {
        PutUOffset(target);
        _fields.Add((slot, Size));
    }

    public void AddStruct(int slot, ReadOnlySpan<byte> bytes, int alignment)
    {
        Prep(alignment, bytes.Length);
        PutBytes(bytes);
        _fields.Add((slot, Size));
    }

    public int EndTable()
    {
        Prep(4, 0);
        PutUInt32(0);
        int tableOffset = Size;
        int slots = _fields.Count == 0 ? 0 : _fields.Max(f => f.Slot) + 1;
        var entries = new ushort[slots];
        foreach (var (slot, offset) in _fields)
        {
            entries[slot] = (ushort)(tableOffset - offset);
        }

        for (int i = slots - 1; i >= 0; i--)
        {
            PutUInt16(entries[i]);
        }

        PutUInt16((ushort)(tableOffset - _tableStart));
        PutUInt16((ushort)(4 + (2 * slots)));
        int vtableOffset = Size;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_buffer.Length - tableOffset), vtableOffset - tableOffset);
        _tableStart = -1;
        return tableOffset;
    }

    public byte[] Finish(int root)
    {
        Prep(_minAlign, 4);
        PutUOffset(root);
        return _buffer[_head..];
    }

    private void AddScalar(int slot, int size, Action<byte[]> write)
    {
        var bytes = new byte[size];
        write(bytes);
        Prep(size, 0);
        PutBytes(bytes);
        _fields.Add((slot, Size));
    }

    private void PutUOffset(int target)
    {
        Prep(4, 0);
        PutUInt32((uint)(Size - target + 4));
    }

    private void Prep(int alignment, int additional)
    {
        _minAlign = Math.Max(_minAlign, alignment);
        int padding = (-(Size + additional)) & (alignment - 1);
        Ensure(padding + additional + 8);
        for (int i = 0; i < padding; i++)
        {
            PutByte(0);
        }
    }

    private void Ensure(int bytes)
    {
        if (_head >= bytes)
        {
            return;
        }

        int size = Size;
        var grown = new byte[Math.Max(_buffer.Length * 2, size + bytes + 64)];
        _buffer.AsSpan(_head).CopyTo(grown.AsSpan(grown.Length - size));
        _buffer = grown;
        _head = grown.Length - size;
    }

    private void PutByte(byte value)
    {
        Ensure(1);
        _buffer[--_head] = value;
    }

    private void PutUInt16(ushort value)
    {
        Ensure(2);
        _head -= 2;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_head), value);
    }

    private void PutUInt32(uint value)
    {
        Ensure(4);
        _head -= 4;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_head), value);
    }

    private void PutBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        _head -= bytes.Length;
        bytes.CopyTo(_buffer.AsSpan(_head));
    }
}
