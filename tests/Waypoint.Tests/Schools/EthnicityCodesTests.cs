using Shouldly;
using Waypoint.Features.Schools;

namespace Waypoint.Tests.Schools;

/// <summary>The one list of DfE ethnicity codes the manual entry page and the CTF import both check against.</summary>
public sealed class EthnicityCodesTests
{
    [Fact]
    public void Extended_EachCodeIsFourCapitalsOfItsOwn_UnderAMainCodeOfTheSameGroup()
    {
        var all = EthnicityCodes.Main.Select(m => m.Code).Concat(EthnicityCodes.Extended.Select(x => x.Code)).ToList();

        all.ShouldBeUnique();
        all.ShouldAllBe(c => c.Length == 4 && c.All(char.IsAsciiLetterUpper));
        foreach (var (code, _, main) in EthnicityCodes.Extended)
        {
            EthnicityCodes.IsMain(main).ShouldBeTrue(code);
            Waypoint.Features.Risk.Representation.EthnicGroup(code).ShouldBe(Waypoint.Features.Risk.Representation.EthnicGroup(main), code);
        }
    }

    [Theory]
    [InlineData("WBRI", true)]
    [InlineData("WENG", true)]
    [InlineData("BSOM", true)]
    [InlineData("NOBT", true)]
    [InlineData("WBRT", false)]
    [InlineData("wbri", false)]
    [InlineData("XXXX", false)]
    public void IsKnown_MainAndExtendedCodesOnly(string code, bool known) => EthnicityCodes.IsKnown(code).ShouldBe(known);

    [Fact]
    public void Describe_ExtendedCode_SaysWhichMainCodeItCountsAs() =>
        EthnicityCodes.Describe("WENG").ShouldBe("White - English (WENG, an extended code from the school's file, counted as White - British)");
}
