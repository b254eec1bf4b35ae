/* header /* nested
-- migrate:up
*/ still comment
-- migrate:down
*/
-- migrate:up
SELECT /* a /* b */ c */ 1;
-- migrate:down
SELECT 2; /* unterminated at end /* deeper */
