// Compiles the site's stylesheet and copies the front-end scripts into wwwroot/lib.
// Run by the build (see Waypoint.Web.csproj) so that `dotnet run` needs nothing else.
import * as sass from "sass";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const out = join(root, "wwwroot", "lib");
mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, "Styles", "waypoint.scss"), {
  loadPaths: [join(root, "node_modules"), root],
  style: "compressed",
  logger: sass.Logger.silent,
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div"],
});
if (result.css.includes("GDS Transport")) {
  throw new Error("The compiled stylesheet mentions GDS Transport; it must not.");
}
writeFileSync(join(out, "waypoint.css"), result.css);

const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const moj = join(root, "node_modules", "@ministryofjustice", "frontend", "moj");
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "images", "favicon.ico"), join(out, "govuk", "assets", "images", "favicon.ico"));
cpSync(join(moj, "moj-frontend.min.js"), join(out, "moj", "moj-frontend.min.js"));
cpSync(join(moj, "assets"), join(out, "moj", "assets"), { recursive: true });
console.log("Front-end assets written to wwwroot/lib");
