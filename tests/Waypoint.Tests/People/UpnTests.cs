using Shouldly;
using Waypoint.Features.People;

namespace Waypoint.Tests.People;

/// <summary>The DfE unique pupil number: generated ones validate, and a mistyped one is caught with a message that helps.</summary>
public sealed class UpnTests
{
    private const string Letters = "ABCDEFGHJKLMNPQRTUVWXYZ";

    public static TheoryData<int, int, int, int> Inputs()
    {
        var data = new TheoryData<int, int, int, int>();
        var random = new Random(928);
        for (var i = 0; i < 40; i++)
            data.Add(random.Next(0, 1000), random.Next(0, 10000), random.Next(0, 100), random.Next(0, 1000));
        data.Add(0, 0, 0, 0);
        data.Add(999, 9999, 99, 999);
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Create_AnyInputs_GivesAValidUpnOfThirteenCharacters(int la, int establishment, int year, int serial)
    {
        var upn = Upn.Create(la, establishment, year, serial);

        upn.Length.ShouldBe(13);
        upn[1..].ShouldBe($"{la:000}{establishment:0000}{year:00}{serial:000}");
        Upn.Validate(upn).ShouldBeNull();
        Upn.IsValid(upn.ToLowerInvariant()).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Validate_ChangedCheckLetter_FailsNamingTheExpectedLetter(int la, int establishment, int year, int serial)
    {
        var upn = Upn.Create(la, establishment, year, serial);
        var wrong = Letters.First(c => c != upn[0]);

        var error = Upn.Validate(wrong + upn[1..]);

        error.ShouldBe($"The check letter of this UPN should be {upn[0]}, not {wrong}: check it was copied correctly");
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Validate_AnySingleDigitMistypedOrAdjacentDigitsSwapped_IsCaught(int la, int establishment, int year, int serial)
    {
        var upn = Upn.Create(la, establishment, year, serial);

        // Weights 2-13 are all below the prime modulus 23, so one changed digit always changes the check letter.
        for (var position = 1; position < 13; position++)
            foreach (var digit in "0123456789".Where(d => d != upn[position]))
                Upn.IsValid(upn[..position] + digit + upn[(position + 1)..]).ShouldBeFalse($"{upn} with {digit} at {position + 1}");
        for (var position = 1; position < 12; position++)
        {
            if (upn[position] == upn[position + 1])
                continue;
            var swapped = upn[..position] + upn[position + 1] + upn[position] + upn[(position + 2)..];
            Upn.IsValid(swapped).ShouldBeFalse($"{upn} with characters {position + 1} and {position + 2} swapped");
        }
    }

    [Fact]
    public void Validate_KnownCheckLetter_MatchesTheDfeTable()
    {
        // Body 928400111123: weighted sum 9·2+2·3+8·4+4·5+0·6+0·7+1·8+1·9+1·10+1·11+2·12+3·13 = 177; 177 mod 23 = 16, letter T.
        Upn.CheckLetter("928400111123").ShouldBe('T');
        Upn.Validate("T928400111123").ShouldBeNull();
    }

    [Theory]
    [InlineData("", "Enter a UPN")]
    [InlineData("   ", "Enter a UPN")]
    [InlineData("T92840011112", "A UPN has 13 characters; this has 12")]
    [InlineData("T9284001111234", "A UPN has 13 characters; this has 14")]
    [InlineData("1928400111123", "A UPN starts with a check letter (A to Z, without I, O or S)")]
    [InlineData("I928400111123", "A UPN starts with a check letter (A to Z, without I, O or S)")]
    [InlineData("T92A400111123", "Character 4 of a UPN must be a digit")]
    public void Validate_MalformedUpn_SaysWhatIsWrong(string upn, string expected) =>
        Upn.Validate(upn).ShouldBe(expected);

    [Fact]
    public void Validate_LetterInEveryDigitPosition_NamesThatPosition()
    {
        var upn = Upn.Create(928, 4001, 11, 123);
        for (var position = 1; position < 12; position++)
            Upn.Validate(upn[..position] + "A" + upn[(position + 1)..]).ShouldBe($"Character {position + 1} of a UPN must be a digit");
    }

    [Theory]
    [InlineData('A')]
    [InlineData('K')]
    [InlineData('Z')]
    public void Validate_TemporaryUpnWithLetterAtPosition13_IsValidWithItsCheckLetter(char last)
    {
        var body = "92840011112" + last;
        var upn = Upn.CheckLetter(body) + body;

        Upn.Validate(upn).ShouldBeNull();
        Upn.Validate(Letters.First(c => c != upn[0]) + body).ShouldNotBeNull().ShouldContain($"should be {upn[0]}");
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('S')]
    public void Validate_TemporaryUpnWithLetterOutsideTheTable_IsRefused(char last) =>
        Upn.Validate("A92840011112" + last).ShouldBe("The last character of a UPN must be a digit or a letter (not I, O or S)");
}
