import { sanitizeTeamsHtml } from '../../sandboxes/teams/sanitize';

// The Teams sandbox's sanitizeHtml switch: Teams' own formatting stays, the platform's marker goes.

describe('the Teams sandbox sanitising HTML', () => {
  it.each([
    ['formatting Teams writes is kept', '<p><b>a</b> <i>b</i> <a href="https://x.test/" title="t">c</a></p>', '<p><b>a</b> <i>b</i> <a href="https://x.test/" title="t">c</a></p>'],
    ['the marker span is dropped', 'hi<span data-forge-origin="slack:1" data-forge-type="text"></span>', 'hi'],
    ['unknown attributes are dropped', '<span class="x" data-y="1" onclick="z()">t</span>', '<span>t</span>'],
    ['unknown elements lose their tags, not their text', '<script>x</script><font color="red">red</font>', 'xred'],
    ['mentions and emoji stay', '<at id="0">Ada</at> <emoji alt="👍"></emoji>', '<at id="0">Ada</at> <emoji alt="👍"></emoji>'],
  ])('%s', (_name, html, stored) => {
    expect(sanitizeTeamsHtml(html)).toBe(stored);
  });
});
