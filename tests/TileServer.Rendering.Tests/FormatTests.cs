namespace TileServer.Rendering.Tests;

public class FormatTests
{
    [Theory]
    [InlineData("png", ImageFormat.Png, "image/png")]
    [InlineData("WEBP", ImageFormat.Webp, "image/webp")]
    [InlineData("jpg", ImageFormat.Jpeg, "image/jpeg")]
    [InlineData("jpeg", ImageFormat.Jpeg, "image/jpeg")]
    [InlineData("npy", ImageFormat.Npy, "application/x-npy")]
    public void Parses_extensions_and_gives_content_types(string text, ImageFormat format, string contentType)
    {
        Assert.True(ImageFormats.TryParse(text, out var parsed));
        Assert.Equal(format, parsed);
        Assert.Equal(contentType, parsed.ContentType());
    }

    [Theory]
    [InlineData("gif")]
    [InlineData("")]
    [InlineData(null)]
    public void Rejects_unknown_formats(string? text) => Assert.False(ImageFormats.TryParse(text, out _));

    [Fact]
    public void Rescale_parses_min_max()
    {
        Assert.Equal(new ValueRange(-2.5, 30), ValueRange.Parse("-2.5,30"));
        Assert.Throws<FormatException>(() => ValueRange.Parse("1"));
        Assert.Throws<FormatException>(() => ValueRange.Parse("a,b"));
        Assert.Throws<ArgumentException>(() => ValueRange.Parse("0,Infinity"));
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        // The CRC-32/ISO-HDLC check value of "123456789" (the catalogue of parametrised CRC algorithms).
        Assert.Equal(0xCBF43926u, Encoders.Crc32.Compute("123456789"u8));
        var longer = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var split = Encoders.Crc32.Append(Encoders.Crc32.Compute(longer.AsSpan(0, 333)), longer.AsSpan(333));
        Assert.Equal(Encoders.Crc32.Compute(longer), split);
    }
}
