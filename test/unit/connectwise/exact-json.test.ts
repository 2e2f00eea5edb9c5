/** JSON numbers a double cannot hold exactly keep their digits; strings stay strings. */
import { ExactDecimal, parseJsonExact } from '../../../integrations/exact-json';

describe('parseJsonExact', () => {
  it('gives numbers where a double is exact and decimal text where it is not', () => {
    expect(parseJsonExact('{"a":12345678901234567.89,"b":12.5,"c":[1,-0.1,9007199254740993],"d":"7"}')).toEqual({
      a: new ExactDecimal('12345678901234567.89'),
      b: 12.5,
      c: [1, -0.1, new ExactDecimal('9007199254740993')],
      d: '7',
    });
  });
  it('refuses what is not JSON', () => {
    expect(() => parseJsonExact('<html>')).toThrow();
  });
});
