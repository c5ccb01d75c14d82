// The team suite (test/team/suite.ts) on the embedded store: team.db in the team machine's home.
import { teamSuite } from "./suite";

teamSuite("sqlite");
