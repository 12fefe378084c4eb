using Shouldly;
using Waypoint.Features.People;

namespace Waypoint.Tests.People;

/// <summary>Sound-alike keys and similarity: what lets search find a person despite spelling variants and typos.</summary>
public sealed class NameKeysTests
{
    [Theory]
    [InlineData("Catherine", "Kathryn")]
    [InlineData("Mohammed", "Muhammad")]
    [InlineData("Smith", "Smiht")]
    [InlineData("Steven", "Stephen")]
    [InlineData("Jon", "John")]
    [InlineData("Leigh", "Lee")]
    [InlineData("Philip", "Filip")]
    [InlineData("Zoë", "Zoe")]
    public void Key_SpellingVariants_ShareAKey(string a, string b)
    {
        NameKeys.Key(a).ShouldNotBeEmpty();
        NameKeys.Key(a).ShouldBe(NameKeys.Key(b));
    }

    [Theory]
    [InlineData("Smith", "Jones")]
    [InlineData("Catherine", "Caroline")]
    [InlineData("John", "Mary Jones")]
    [InlineData("Lee", "Leon")]
    public void Key_DifferentNames_HaveDifferentKeys(string a, string b) =>
        NameKeys.Key(a).ShouldNotBe(NameKeys.Key(b));

    [Fact]
    public void Key_SeveralWords_UsesTheFirst() =>
        NameKeys.Key("Mary Ann").ShouldBe(NameKeys.Key("Mary"));

    [Theory]
    [InlineData(null, "")]
    [InlineData("   ", "")]
    [InlineData("  O'Brien-Smith ", "obriensmith")]
    [InlineData("Zoë  Ångström", "zoe angstrom")]
    [InlineData("Anna 2", "anna")]
    public void Normalise_Name_LowerCaseLettersWithoutAccents(string? name, string expected) =>
        NameKeys.Normalise(name).ShouldBe(expected);

    [Theory]
    [InlineData("smith", "smiht")]
    [InlineData("catherine", "kathryn")]
    [InlineData("martha", "marhta")]
    [InlineData("abc", "xyz")]
    [InlineData("a", "abcdefghijklmnop")]
    [InlineData("jon", "")]
    public void Similarity_AnyPair_IsWithinZeroAndOneAndSymmetric(string a, string b)
    {
        var ab = NameKeys.Similarity(a, b);

        ab.ShouldBeInRange(0, 1);
        NameKeys.Similarity(b, a).ShouldBe(ab, 1e-12);
    }

    [Fact]
    public void Similarity_Bounds_IdenticalIsOneAndNothingInCommonOrEmptyIsZero()
    {
        NameKeys.Similarity("smith", "smith").ShouldBe(1);
        NameKeys.Similarity("abc", "xyz").ShouldBe(0);
        NameKeys.Similarity("", "smith").ShouldBe(0);
        NameKeys.Similarity("", "").ShouldBe(0);
    }

    [Fact]
    public void Similarity_Typo_ScoresAboveAnUnrelatedName()
    {
        // The classic Jaro-Winkler example: MARTHA/MARHTA is 0.961.
        NameKeys.Similarity("martha", "marhta").ShouldBe(0.961, 0.001);
        NameKeys.Similarity("smith", "smiht").ShouldBeGreaterThan(0.9);
        NameKeys.Similarity("smith", "jones").ShouldBeLessThan(0.5);
    }
}
