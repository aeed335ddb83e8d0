export { slackToTeamsHtml } from './slack-to-teams';
export { escapeSlack, teamsHtmlToSlack } from './teams-to-slack';
export { shortcodesToEmoji } from './emoji';
export { mentionText, type PeopleDirectory } from './people';
export { SLACK_TEXT_LIMIT, splitMessage, TEAMS_BODY_BYTES, utf8Bytes } from './split';
export { slackFiles, teamsFiles, withHtmlFileLinks, withSlackFileLinks, type SharedFile } from './files';
