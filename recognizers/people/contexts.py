"""How strongly the text around a candidate says that it is a person's name.

Before and after the candidate on its line (and the lines next to it) the rules look for a
label, an address, blame or log output, a record key, a greeting or a sign-off (STRONG); a
personal phrase or an address that spells the name (PERSONAL); a shape of data (MEDIUM). A
candidate with none of them is WEAK. See :mod:`recognizers.people` for what each strength lets
through.
"""

from __future__ import annotations

import regex as re

from recognizers.people.lexicon import fold
from recognizers.people.shapes import (
    MEDIUM,
    NAME_SRC,
    PERSONAL,
    STRONG,
    WEAK,
    WORD_RE,
    Cand,
)

# ---- contexts before a name (matched against the line up to the name) ---------------------

_LABELS = (
    r"maintainers?|authors?|owners?|contacts?|reviewers?|assignees?|reporters?|contributors?"
    r"|credits|developers?|written[ -]by|created[ -]by|reviewed[ -]by|signed-off-by"
    r"|co-authored-by|acked-by|tested-by|reported-by|suggested-by|helped-by|approved[ -]by"
    r"|requested[ -]by|on-?call|point[ -]of[ -]contact|poc|dri|tech[ -]lead|team[ -]lead"
    r"|lead|responsible|cc|assigned[ -]to|(?:requested|submitted|prepared|updated|edited)[ -]by"
    r"|attn|attention|sender|recipients?|patient|employee|student|applicant|interviewer"
    r"|attendees?|participants?|card[ -]?holder|account[ -]holder|beneficiary|payee|driver"
    r"|passenger|autor(?:in)?|autores|auteurs?|verfasser|betreuer|mantenedor"
    r"|responsable|entwickler|ansprechpartner|автор|разработчик|作者|作成者|著者|维护者|維護者"
    r"|负责人|負責人|开发者|開発者|联系人|担当者?|작성자|담당자"
    # the fields of tickets and the attendees of minutes in the languages of the users
    r"|报告人|報告人|提交人|处理人|處理人|参会人|參會人|出席者|参加者|起票者|報告者|보고자|참석자"
    r"|요청자|melder|bearbeiter(?:in)?|teilnehmer(?:innen)?|teilnehmende|verantwortlich"
    r"|zust[äa]ndig|rapporteur|assign[ée]e?\s+[àa]|destinataires?|informador|asignad[oa]\s+a"
    r"|asistentes|relator|respons[áa]vel|participantes|исполнитель|присутствовали|участники"
    r"|ответственный|segnalat[oa]\s+da|assegnat[oa]\s+a|partecipanti|referente"
    r"|toegewezen\s+aan|aanwezig|deelnemers|zg[łl]aszaj[aą]cy|przypisane\s+do|obecni|uczestnicy"
    r"|bildiren|atanan|kat[ıi]l[ıi]mc[ıi]lar|sorumlu|الحضور|المسؤول|उपस्थित|प्रतिभागी"
    r"|contacto|contato|contatto|kontakt|контакт|ansprechperson|zugewiesen(?:\s+an)?"
    # the fields of tickets in more languages: Swedish, Czech, Ukrainian, Vietnamese,
    # Indonesian, Hungarian, Romanian, Greek, Hebrew
    r"|rapport[öo]r|tilldelad(?:\s+till)?|ansvarig|deltagare|nahl[áa]sil[a]?|[řr]e[šs]itel"
    r"|p[řr]i[řr]azeno|odpov[ěe]dn[áa]?|autor|виконавець|відповідальний|учасники|автор(?:ка)?"
    r"|ng[ưu][ờo]i\s+b[áa]o\s+c[áa]o|ng[ưu][ờo]i\s+ph[ụu]\s+tr[áa]ch|ng[ưu][ờo]i\s+tham\s+d[ựu]"
    r"|pelapor|penanggung\s+jawab|ditugaskan\s+ke|peserta|bejelent[őo]|felel[őo]s|r[ée]sztvev[őo]k"
    r"|raportat\s+de|responsabil|atribuit\s+lui|participan[țt]i|αναφέρθηκε\s+από|υπεύθυνος"
    r"|συμμετέχοντες|מדווח|אחראי|משתתפים"
    # who was at a meeting and who ran it
    r"|present|apologies|absent|regrets|chair(?:ed[ -]by)?|scribe|note[ -]?taker|facilitator"
)
LABEL_RE = re.compile(
    r"(?i:(?<![\w-])(?:" + _LABELS + r"))[\"'`]?\s*[:：=]\s*[\"'`]?"
    r"|(?<![\w])@(?:author|maintainer|reviewer|owner|contact|developer)[ \t]+"
    r"|__(?:author|maintainer|credits|contact)__\s*=\s*[\[(]?\s*[\"']"
    r"|\.\.\s+(?:module|section|code)?author::\s+"
    r"|^[ \t]*MAINTAINER[ \t]+"
    # the owner of an action item in minutes: "AI: Priya to check", "Action item: Jonas"
    r"|(?<![\w-])(?:AI|ACTION|Action(?:[ -][Ii]tems?)?)[ \t]*[:：][ \t]*"
    # a two-column table of fields: | Reporter | Name |
    r"|^[ \t]*\|[ \t]*(?:\*\*)?(?i:" + _LABELS + r")(?:\*\*)?[ \t]*\|[ \t]*"
)
# what may stand between a label and a later name of its list
_TITLES = (r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sir|Dame|Herr|Frau|Mme|Mlle|Sr|Sra|Dott|Dott\.ssa|Ing"
           r"|Sig|Sig\.ra|dhr|mevr|Pan|Pani|г-н|г-жа)\.?")
_LIST_GAP_RE = re.compile(
    r"(?:\s*(?:" + NAME_SRC + r"|" + _TITLES + r"|<[^<>\n]*>|\([^()\n]*\)|[,;&/、，]|and|und|et|y"
    # the names of uncased scripts in the same list (岡本 千代, आकाङ्क्षा बुरुाह), and
    r"|[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Devanagari}\p{Arabic}\p{Hebrew}\p{M}]++"
    r"|\p{Lu}{2,}+"  # a surname in capitals (ZHANG Wei)
    r"|\p{Lu}\p{Ll}{0,2}\.(?:\p{Lu}\p{Ll}{0,2}\.?){0,2}"  # a degree after a name (Ph.D., B.Sc.)
    r"|[\"'`]))*\s*$"
)

_PERSON_KEYS = (
    r"full_?name|display_?name|first_?name|last_?name|given_?name|family_?name|sur_?name"
    r"|real_?name|legal_?name|author(?:_?name)?|owner(?:_?name)?|maintainer|contact(?:_?name)?"
    r"|customer(?:_?name)?|client_?name|assignee|reporter|reviewer|requester|recipient(?:_?name)?"
    r"|sender(?:_?name)?|patient(?:_?name)?|employee(?:_?name)?|member_?name"
    r"|(?:card_?|account_?)?holder(?:_?name)?|beneficiary(?:_?name)?|payee(?:_?name)?"
    r"|payer(?:_?name)?|signer|signatory"
    r"|(?:created|updated|modified|approved|reviewed|requested|submitted|assigned|signed|checked"
    r"|verified|edited|deleted)_?by|consignee|shipper|contact_?person|approver|applicant"
    r"|guest_?name|user_?full_?name|person_?name|oncall|on_?call|developer|dev_?name"
    r"|(?:git_)?(?:author|committer)_?name|user\.name"
)
_KEY_RE = re.compile(
    r"(?i:(?<![\w])(" + _PERSON_KEYS + r"|name|user|person|who)\s?[\"'`]?"
    r"(?:\s*(?::|=|=>|->|:=)|(?<=user\.name)[ \t]))"
)
# between a key and its value: a quote, or the earlier names of a list (authors = ["A", "B"])
_QUOTE = r"(?:[uUbBfFrR]?[\"'`])"
_KEY_GAP_RE = re.compile(
    r"\s*(?:[\[(]\s*(?:" + _QUOTE + r"?(?:" + _TITLES + r"\s*)?" + NAME_SRC
    + r"(?:\s*<[^<>\n]*>)?[\"'`]?\s*,\s*)*)?" + _QUOTE + r"?"
)
_PERSON_LISTS = (
    r"reviewers|owners|maintainers|authors|approvers|assignees|contributors|members"
    r"|developers|admins|people|contacts|on_?call|on-call|team_members|users|attendees"
    r"|participants|recipients|cc"
)
# a YAML list item under a key that lists people:  reviewers:\n  - Kofi Boateng
_YAML_PEOPLE_RE = re.compile(
    r"(?im:^[ \t]*[\"']?(?:" + _PERSON_LISTS + r")[\"']?[ \t]*:[ \t]*(?:#[^\n]*)?\n"
    r"(?:[ \t]*(?:-[ \t]+[^\n]*)?\n){0,30}[ \t]*-[ \t]+[\"']?)\Z"
)
_CHAT_BEFORE_RE = re.compile(
    r"^[ \t>]*(\[?(?:\d{4}-\d\d-\d\d[ T])?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp][Mm])?\]?[ \t]*)?"
    r"<?$"
)
_CHAT_AFTER_RE = re.compile(r"(?:[ \t]*\(\d{1,2}:\d{2}\))?(?::|>)[ \t]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_SELF_INTRO_RE = re.compile(r"(?i:(?<![\w])(?:I'm|I\s+am|my\s+name\s+is|name's|call\s+me))\s+$")
_ARROW_BEFORE_RE = re.compile(r"\S[ \t]*(?:→|⇒|->|=>)[ \t]*$")
_DASH_BEFORE_RE = re.compile(r"\S[ \t]+[—–][ \t]*$")
_DATE_AFTER_RE = re.compile(r"[ \t]*[,(]?[ \t]*\d{4}-\d\d-\d\d")
_XML_KEY_RE = re.compile(r"(?i:<(" + _PERSON_KEYS + r"|name)>\s*$)")
_GENERIC_KEYS = frozenset({"name"})  # also names services, jobs, products
_USER_KEYS = frozenset({"user", "person", "who"})  # a person, or an account

_GREETING_RE = re.compile(
    r"(?:^|[>\"'(:*])\s*(?i:hi|hello|hey|dear|hiya|yo|morning|good\s+(?:morning|afternoon|evening)"
    r"|thanks|thank\s+you|thx|cheers|ta|hallo|moin|servus|danke|gr[üu](?:ß|ss)e|lg|vg"
    r"|bonjour|salut|merci|cordialement|hola|gracias|saludos|ol[áa]|oi|obrigad[oa]|abra[çc]os"
    r"|привет|здравствуйте|спасибо|grazie|ciao|buongiorno|salve|bedankt|dank\s+je(?:wel)?|hoi"
    r"|dzi[ęe]kuj[ęe]|dzi[ęe]ki|cze[śs][ćc]|te[şs]ekk[üu]rler|merhaba|valeu|tack|hej"
    r"|xin\s+ch[àa]o|c[ảa]m\s+[ơo]n|halo|terima\s+kasih|dobr[ýy]\s+den|d[ěe]kuji|ahoj|szia"
    r"|k[öo]sz[öo]n[öo]m|bun[ăa]|mul[țt]umesc|γεια\s+σου|ευχαριστώ|שלום|תודה|дякую|вітаю"
    r"|привіт|добрий\s+день|ch[àa]o)[ \t,]+$"
)
# thanks in the languages of the users after a sentence ("... деплой. Спасибо, Зинаида, за")
_THANKS_MID_RE = re.compile(
    r"[.!?。][ \t]+(?i:спасибо|дякую|danke|merci|gracias|obrigad[oa]|grazie|bedankt|dzi[ęe]ki"
    r"|d[íi]ky|te[şs]ekk[üu]rler|terima\s+kasih|c[ảa]m\s+[ơo]n)[ \t,]+$"
)
_SIGNOFF_BEFORE_RE = re.compile(r"^[ \t>]*(?:[—–~]|--)[ \t]*$")
_VALEDICTION_RE = re.compile(
    r"^[ \t>]*(?i:thanks|thank\s+you|many\s+thanks|thanks\s+again|cheers|best|best\s+regards"
    r"|kind\s+regards|warm\s+regards|regards|all\s+the\s+best|sincerely|br|thx|ta|talk\s+soon"
    r"|best\s+wishes"
    # the sign-offs of the languages of the users, a name alone on the next line
    r"|(?:viele|beste|liebe|freundliche)\s+gr[üu](?:ß|ss)e|mit\s+freundlichen\s+gr[üu](?:ß|ss)en|lg|vg|mfg"
    r"|(?:bien\s+)?cordialement|bien\s+[àa]\s+vous|bonne\s+journ[ée]e|(?:un\s+)?saludos?"
    r"|atentamente|abra[çc]os?|atenciosamente|att\.?|(?:un\s+)?salut[oi]|cordiali\s+saluti"
    r"|buona\s+giornata|groetjes|(?:met\s+)?vriendelijke\s+groet(?:en)?|mvg|pozdrawiam"
    r"|z\s+powa[żz]aniem|s\s+pozdravem|d[íi]ky|i̇yi\s+[çc]al[ıi][şs]malar|iyi\s+[çc]al[ıi][şs]malar"
    r"|sayg[ıi]lar[ıi]mla|с\s+уважением|спасибо|з\s+повагою|дякую|tr[âa]n\s+tr[ọo]ng|th[âa]n\s+m[ếe]n"
    r"|salam|hormat\s+saya|terima\s+kasih|よろしくお願いします|よろしくお願いいたします|谢谢|謝謝"
    r"|此致|감사합니다)[ \t]*[,!.。！]?[ \t]*$"
)
_VERB_BEFORE_RE = re.compile(
    r"(?i:(?<![\w])(?:cc|/cc|thanks(?:\s+to)?|thank\s+you|thx|ask(?:ed|ing)?|ping(?:ed|ing)?"
    r"|e-?mail(?:ed|ing)?|messag(?:e|ed|ing)|dm(?:ed)?|tell|told|talk(?:ed)?\s+to|talk(?:ed)?"
    r"\s+with|sp(?:oke|eak)\s+(?:to|with)|check(?:ed)?\s+with|sync(?:ed)?\s+with|thread\s+with"
    r"|chat(?:ted)?\s+with|call\s+with|meeting\s+with|work(?:s|ed|ing)?\s+with|pair(?:ed)?\s+with"
    r"|assigned\s+to|(?:owned|written|reviewed|approved|reported|requested|created|maintained"
    r"|authored|filed|raised|flagged|suggested|signed|added|introduced|committed|merged|pushed"
    r"|changed|fixed|built|wrote|opened|closed|proposed|escalated)\s+by|according\s+to"
    r"|loop(?:ed|ing)?\s+in|reach(?:ed)?\s+out\s+to|escalat(?:e|ed)\s+to|hand(?:ed)?\s+(?:it\s+)?"
    r"(?:off\s+|over\s+)?to|contact(?:ed)?|notif(?:y|ied)|pag(?:e|ed)|mention(?:ed)?|cc'?d"
    r"|(?:ticket|e-?mail|message|note|request|pr|mr|feedback|complaint|call|report|question"
    r"|review|approval|sign-off|reply|answer|comment|dm|ping|text|heads[- ]up|patch)s?\s+from"
    r"|met|meet(?:ing)?|invit(?:e|ed)|hir(?:e|ed)|welcome|introduc(?:e|ed)|onboard(?:ed)?"
    r"|congrats|congratulations|(?:kudos|shout-?out|props|credit)\s+to"
    r"|(?:dis)?agree(?:s|d)?\s+with|sid(?:e|es|ed)\s+with|(?:as|like)\s+per"
    r"|maintainer|owner|reviewer|approver|assignee|on-?call|oncall|tech\s+lead|pm"
    r"|(?:you|me)\s+and|colleague|coworker|co-worker|teammate|manager|boss|engineer|developer|lead|intern"
    r"|customer|patient|user|mr\.?|mrs\.?|ms\.?|dr\.?|prof\.?"
    # German, French, Spanish, Portuguese, Russian: "according to", "ask", "call", "with"
    r"|laut|gem[äa](?:ß|ss)|frag(?:e|t)?(?:\s+(?:bitte|mal|doch))*|ruf(?:e|t)?(?:\s+(?:bitte|mal))*"
    r"|(?:kontaktiere|schreib(?:e)?)(?:\s+bitte)?|rücksprache\s+mit|selon|d['’]apr[èe]s"
    r"|demande(?:z|r)?\s+[àa]|appel(?:le|lez|er)|contacte(?:z|r)?|[ée]cri(?:s|vez)\s+[àa]"
    r"|seg[úu]n|pregunt(?:a|e|ale|ar)\s+(?:a|al)|llam(?:a|e|ar)\s+a|habla\s+con"
    r"|contact(?:a|e|ar)\s+con|escrib(?:e|ir|ele)\s+a|gracias\s+a|merci\s+[àa]"
    r"|(?:r[üu]ck)?fragen\s+(?:bitte\s+)?an|danke\s+an|dank\s+(?:an|aan)|(?:e-?)?mails?\s+(?:bitte\s+)?an"
    r"|ревьюер|автор|ответственный|спасибо"
    r"|segundo|de\s+acordo\s+com|fal(?:e|a|ar)\s+com|pergunt(?:e|a|ar)\s+(?:a|ao|para)"
    r"|lig(?:ue|a|ar)\s+(?:para|pra)(?:\s+[oa])?|herrn?|frau|mme|mlle|madame|monsieur"
    r"|se[ñn]ora?|senhora?|господин(?:у|а)?|госпож(?:а|е|и)"
    r"|по\s+словам|согласно|спроси(?:те)?(?:\s+у)?"
    r"|позвони(?:те)?|напиши(?:те)?|свяжитесь\s+с|уточни(?:те)?\s+у"
    # titles and "according to" of Italian, Dutch, Polish, Russian, Spanish, Portuguese
    r"|г-н|г-жа|pan[ia]?|pana|don|doña|dona|sr\.?|sra\.?|srta\.?|dhr\.?|mevr\.?|mevrouw|meneer"
    r"|dott\.?|dott\.ssa|ing\.?|sig\.?|sig\.ra|signor[ae]?|secondo|volgens|wed[łl]ug|zdaniem"
    r"|chiedi\s+a|chiama(?:te)?|bel|vraag|(?<!\.)m\."
    # Indonesian, Czech, Hungarian, Romanian, Ukrainian titles; "ask" and "call" of a few more
    r"|pak|bu|bapak|ibu|pan[íi]|dl\.|dna\.|domnul(?:ui)?|doamna|пан(?:і|а)?|зверніться\s+до"
    r"|zeptej(?:te)?\s+se|zavolej(?:te)?|tanya(?:kan)?(?:\s+ke)?|hubungi|k[ée]rdezd"
    # "reported by", "opened by", "assigned to", "a ticket from" in the languages of the users
    r"|(?:gemeldet|erstellt|er[öo]ffnet|angelegt|zugewiesen|gepr[üu]ft"
    r"|geschrieben|freigegeben)\s+(?:von|an|durch)|(?:signal[ée]|cr[ée]{2}|ouvert|rapport[ée]"
    r"|assign[ée]|[ée]crit|valid[ée])e?s?\s+(?:par|[àa])|(?:reportad|abiert|abert|cread|criad"
    r"|asignad|atribu[íi]d|revisad|escrit|aprobad|aprovad|segnalat|apert|creat|assegnat|scritt)"
    r"[oa]s?\s+(?:por|para|a|da)|(?:gemeld|aangemaakt|toegewezen|geschreven)\s+(?:door|aan)"
    r"|(?:zg[łl]oszon[ey]|utworzon[ey]|przypisan[ey])\s+(?:przez|do)"
    r"|(?:сообщил[аи]?|создал[аи]?|открыл[аи]?|назначен[аоы]?\s+на|(?:тикет|заявка|письмо"
    r"|сообщение|задача)\s+от)"
    r"|(?:ticket|anfrage|meldung|nachricht|e-?mail|mail|pr|mr)\s+von"
    r"|(?:ticket|demande|message|e-?mail)\s+de|(?:chamado|pedido|mensagem|correo|mensaje)\s+de"
    # a customer named in the languages of the users; "according to", "thanks" and the titles
    # of Indonesian and Vietnamese
    r"|kunde|kundin|klant|client[e]?|klient(?:ka)?|z[áa]kazn[íi]k|m[üu][şs]teri|клиент|клієнт"
    r"|kh[áa]ch\s+h[àa]ng|pelanggan|menurut|terima\s+kasih|c[ảa]m\s+[ơo]n|theo|anh|ch[ịi]"
    r"|v[ớo]i|dengan"
    r")\s+$)"
)
# Portuguese "seu" is a title before a first name ("seu Josué") and "your" before anything else:
# a known first name only
_FIRST_NAME_TITLE_RE = re.compile(r"(?i:(?<![\w])seu\s+$)"
)
_TODO_RE = re.compile(
    r"(?<![\w])(?:(?:TODO|FIXME|XXX|HACK|NOTE|BUG|OPTIMIZE|REVIEW)|(?:AI|ACTION)[ \t]?)\(\s*@?$")
_BLAME_BEFORE_RE = re.compile(r"\(\s*$")
_LOG_BEFORE_RE = re.compile(r"^[ \t*|/\\]*[0-9a-f]{7,40}\s+(?:\(.*?\)\s+)?(?:\d{4}-\d\d-\d\d\s+)?$")
_SHORTLOG_BEFORE_RE = re.compile(r"^[ \t]*\d+\t$")
_COPYRIGHT_RE = re.compile(
    r"(?i:copyright|\(c\)|©)\s*(?:\(c\)|©)?\s*(?:\d{4}(?:\s*[-–,]\s*\d{4})*)?,?\s*(?:by\s+)?$"
)
_ROW_DELIM_BEFORE_RE = re.compile(r"(?:^|[|\t;,])[ \t]*[\"']?$")

# ---- contexts after a name ---------------------------------------------------------------

_EMAIL_AFTER_RE = re.compile(
    r"[ \t]*(?:<\s*(?:mailto:)?[^<>\s@]+@[^<>\s]+\s*>|\(\s*[^()\s@]+@[^()\s]+\s*\))"
)
_BLAME_AFTER_RE = re.compile(r"\s+(?:<[^<>\n]*>\s+)?\d{4}-\d\d-\d\d")
_LOG_AFTER_RE = re.compile(r"\s*(?:<|\||,\s|\s-\s|\s\d{4}-\d\d-\d\d|\s\(\d|$)", re.M)
_END_OF_LINE_RE = re.compile(r"[ \t]*(?:\r?\n|$)")
_GREETING_AFTER_RE = re.compile(r"\s*(?:[,!:;.—–]|-\s|\r?\n|$)")
_CLOSE_PAREN_RE = re.compile(r"\s*[):,]")
_ROW_DELIM_AFTER_RE = re.compile(r"[ \t]*[\"']?[ \t]*(?:[|\t;,]|\r?\n|$)")
_HUMAN_VERBS = (
    r"suggested|suggests|says|said|thinks|thought|proposed|proposes|worries|worried|asked|asks"
    r"|mentioned|mentions|noted|notes|believes|believed|agreed|agrees|disagrees|disagreed"
    r"|recommended|recommends|argues|argued|insists|insisted|feels|felt|claims|claimed"
    r"|pointed\s+out|told|tells|explained|explains|objected|objects|complained|confirmed"
    r"|confirms|replied|responded|commented|noticed|prefers|preferred|wants|wanted|wrote"
    r"|sagt|sagte|meint|meinte|findet|schreibt|schrieb|hat\s+gesagt|dit|pense|propose|trouve"
    # German puts the verb last: "bitte Undine Gertz anrufen", "Jonas fragen"
    r"|anrufen|fragen|kontaktieren|anschreiben|anpingen|erreichen|Bescheid\s+geben"
    r"|a\s+dit|dice|dijo|cree|piensa|propuso|comenta|coment[óo]|disse|diz|acha|falou|sugeriu"
    r"|comentou|escreveu|reportou|relatou|informou|pediu|escribi[óo]|report[óo]|inform[óo]"
    r"|pidi[óo]|indique|signale|[ée]crit|schreibt|berichtet|meldet|indica|segnala|scrive"
    # what someone did, by the past tense's ending: corrigiu, arregló, a corrigé, ha risolto
    r"|[a-zà-ü]{3,}(?:ou|iu)|[a-zà-ü]{2,}i?ó|a\s+[a-zà-ü]{3,}é|ha\s+[a-z]{3,}(?:ato|ito|uto)"
    r"|сказал[аи]?|говорит|считает|предложил[аи]?|написал[аи]?|думает|пишет"
    r"|twierdzi|uważa|mówi|powiedział[a]?|napisał[a]?|düşünüyor|diyor|söyledi|yazdı|zegt"
    r"|denkt|vindt|schreef|ritiene|pensa|sostiene|ha\s+detto|scrive|estime|afirma|considera"
    r"|reckons|warned|warns|promised|offered|volunteered|is\s+(?:out|away|OOO|on\s+(?:leave|"
    r"vacation|holiday|PTO|call))|will\s+(?:review|be\s+(?:out|back|away))|and\s+I\b|and\s+me\b"
)
_OTHER_VERBS = (
    r"owns|owned|fixed|reviewed|approved|merged|pushed|committed|implemented|left|joined"
    r"|raised|flagged|reported|discovered|set\s+up|signed\s+off|took\s+over|handed\s+over"
)
_ADVERBS = (
    r"(?:\s+(?:also|just|already|still|really|originally|actually|then|now|never|always"
    r"|probably|previously|recently|initially|apparently|strongly|kindly|(?:has|had)\s+been))?"
)
_HUMAN_AFTER_RE = re.compile(
    r"(?:\*\*|__)?(?:" + _ADVERBS + r"\s+(?:" + _HUMAN_VERBS + r")\b"
    # a title after the name (Turkish), or a CJK honorific or verb right after a Latin name
    # ("SHAO Xiulan说", "Tanakaさん", "Kim Minsu님")
    r"|[ \t]+(?:Bey|Hanım|Hanim|Hoca|Beyefendi|Hanımefendi)\b"
    r"|[ \t]?(?:さん|様|さま|先生|氏|君|くん|ちゃん|殿|님|씨|선생님|老师|老師|女士|经理|經理|同学"
    r"|说|說|认为|認為|表示|觉得|覺得|提到|によると|によれば|が言|말로는|에\s?따르면|에게"
    r"|감사합니다|고맙습니다|ありがとう|谢谢|謝謝))")
_VERB_AFTER_RE = re.compile(_ADVERBS + r"\s+(?:" + _OTHER_VERBS + r")\b")
_POSSESSIVE_RE = re.compile(
    r"['’]s\s+(?:PR|MR|branch|commits?|changes?|merge|patch|fix|review|laptop|machine|desk"
    r"|workstation|dotfiles|account|calendar|manager|comments?|suggestion|idea|question|fork"
    r"|email|e-mail|message|reply|answer|point)\b"
)

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LOCAL_SPLIT_RE = re.compile(r"[._+\-\d]+")
_PHONE_RE = re.compile(r"(?<![\w.])\+?\(?\d[\d ().-]{6,}\d(?![\w])")

LOOK = 160  # how far a context looks back or ahead on a line


def _from_end(rx: re.Pattern[str]) -> re.Pattern[str]:
    """``rx`` searched from the end of the text (the ``regex`` module's REVERSE): its first
    match is the one that ends last. The patterns of what comes before a name are anchored at
    the end of ``before``, or only their last match counts: a forward search tried every start
    of up to ``LOOK`` characters with a long alternation, most of a candidate's cost."""
    return re.compile(rx.pattern, rx.flags | re.REVERSE)


# searched from the end of ``before``
_LAST_LABEL_RE = _from_end(LABEL_RE)
_LAST_KEY_RE = _from_end(_KEY_RE)
_VERB_BEFORE_RE = _from_end(_VERB_BEFORE_RE)
_SELF_INTRO_RE = _from_end(_SELF_INTRO_RE)
_DASH_BEFORE_RE = _from_end(_DASH_BEFORE_RE)
_ARROW_BEFORE_RE = _from_end(_ARROW_BEFORE_RE)
_ROW_DELIM_BEFORE_RE = _from_end(_ROW_DELIM_BEFORE_RE)
_GREETING_RE = _from_end(_GREETING_RE)
_THANKS_MID_RE = _from_end(_THANKS_MID_RE)
_LABEL_MARKS = (":", "：", "=", "@", "|")
_KEY_MARKS = (":", "=", ">", ".")
_GREETING_ENDS = (" ", "\t", ",")  # both greeting patterns end with one


def context(text: str, s: int, e: int) -> Cand:
    """How strongly the text around ``text[s:e]`` says that it is a person's name."""
    ls = text.rfind("\n", max(0, s - LOOK), s) + 1
    if ls == 0 and s > LOOK:
        ls = s - LOOK
    le = text.find("\n", e, e + LOOK)
    if le < 0:
        le = min(len(text), e + LOOK)
    before = text[ls:s]
    after = text[e:le + 1]

    # -- strong: labels, addresses, blame, person keys, greetings, sign-offs --
    if _EMAIL_AFTER_RE.match(after):
        return Cand(s, e, STRONG)
    if _BLAME_BEFORE_RE.search(before) and _BLAME_AFTER_RE.match(after):
        return Cand(s, e, STRONG)
    # the last one counts; every label holds one of these marks
    label = (_LAST_LABEL_RE.search(before) if any(c in before for c in _LABEL_MARKS)
             or "MAINTAINER" in before else None)
    if label is not None and _LIST_GAP_RE.fullmatch(before, label.end()):
        return Cand(s, e, STRONG)
    if before[-1:] in _GREETING_ENDS and (
            _GREETING_RE.search(before) or _THANKS_MID_RE.search(before)) \
            and _GREETING_AFTER_RE.match(after):
        return Cand(s, e, STRONG)
    if (
        before.lstrip(" \t").startswith("-")
        and _ROW_DELIM_AFTER_RE.match(after)
        and _YAML_PEOPLE_RE.search(text, max(0, s - 600), s)
    ):
        return Cand(s, e, STRONG)
    if _END_OF_LINE_RE.match(after):
        if _SIGNOFF_BEFORE_RE.match(before):
            return Cand(s, e, STRONG)
        if not before.strip() and ls >= 2:
            prev = text.rfind("\n", 0, ls - 1) + 1
            if _VALEDICTION_RE.match(text[prev:ls - 1]):
                return Cand(s, e, STRONG)

    # -- keys of records: full_name=, "customer":, <name> --
    # the last one counts; every key ends with one of these marks (or "user.name")
    key = _LAST_KEY_RE.search(before) if any(c in before for c in _KEY_MARKS) else None
    if key is not None and not _KEY_GAP_RE.fullmatch(before, key.end()):
        key = None
    key = key or _XML_KEY_RE.search(before)
    generic_key = False
    if key is not None:
        k = key.group(1).lower()
        if k not in _GENERIC_KEYS:
            return Cand(s, e, PERSONAL if k in _USER_KEYS else STRONG)
        generic_key = True

    # -- personal phrases; an address that spells the name on this line or the next or
    # previous one (``<name>..</name>`` then ``<email>..</email>``) --
    lo = text.rfind("\n", max(0, ls - LOOK), max(0, ls - 1)) + 1 if ls else 0
    hi = text.find("\n", le + 1, le + 1 + LOOK)
    if _email_spells(text, lo, hi if hi >= 0 else min(len(text), le + LOOK), text[s:e]):
        return Cand(s, e, PERSONAL)
    if (
        (before[-1:].isspace() and _VERB_BEFORE_RE.search(before))  # it ends with a space
        or _HUMAN_AFTER_RE.match(after)
        or _POSSESSIVE_RE.match(after)
    ):
        return Cand(s, e, PERSONAL)
    if generic_key:
        return Cand(s, e, MEDIUM)
    if _FIRST_NAME_TITLE_RE.search(before):
        return Cand(s, e, MEDIUM, row=True)
    if _SELF_INTRO_RE.search(before):
        return Cand(s, e, PERSONAL)
    chat = _CHAT_BEFORE_RE.match(before)
    said = _CHAT_AFTER_RE.match(after) if chat else None
    # a chat line says something in words: "Workers Planned: 2" is a query plan's field
    if said and _LETTER_RE.search(after, said.end()):
        # a speaker without a time: a known first name alone will do ("Ilse: can you check?")
        return Cand(s, e, PERSONAL) if chat.group(1) else Cand(s, e, MEDIUM, row=True)
    if _TODO_RE.search(before) and _CLOSE_PAREN_RE.match(after):
        return Cand(s, e, PERSONAL)

    # -- shapes of data --
    if _LOG_BEFORE_RE.match(before) and _LOG_AFTER_RE.match(after):
        return Cand(s, e, MEDIUM)
    if _SHORTLOG_BEFORE_RE.match(before) and _END_OF_LINE_RE.match(after):
        return Cand(s, e, MEDIUM)
    if _COPYRIGHT_RE.search(before):
        return Cand(s, e, MEDIUM)
    if _VERB_AFTER_RE.match(after):
        return Cand(s, e, MEDIUM, row=True)  # "Yasmin approved the PR": a known first name
    if _DATE_AFTER_RE.match(after):
        return Cand(s, e, MEDIUM)
    if _DASH_BEFORE_RE.search(before) and _END_OF_LINE_RE.match(after):
        return Cand(s, e, MEDIUM)  # "LGTM — Kofi Boateng"
    if (before.endswith("(") and after.startswith(")")) or (
            _ARROW_BEFORE_RE.search(before) and _END_OF_LINE_RE.match(after)):
        return Cand(s, e, MEDIUM)  # "PAY-1234 (Christiana Walter)", "PAY-1235 → Luís Mir"
    if (
        _ROW_DELIM_BEFORE_RE.search(before)
        and _ROW_DELIM_AFTER_RE.match(after)
        and _row_has_contact(text[ls:le])
    ):
        return Cand(s, e, MEDIUM, row=True)
    if before[-1:] in ("\"", "'", "`") and after[:1] == before[-1]:
        return Cand(s, e, MEDIUM)  # a string literal that is only a name: a fixture
    return Cand(s, e, WEAK)


def _email_spells(text: str, ls: int, le: int, value: str) -> bool:
    """An e-mail address on the line whose local part spells the name (``chidi.okeke``,
    ``rgallagher``, ``jasper_kowalczyk46``, ``dmitri``)."""
    if "@" not in text[ls:le]:
        return False
    names = [fold(w) for w in WORD_RE.findall(value)]
    if not names:
        return False
    for m in _EMAIL_RE.finditer(text, ls, le):
        local = fold(m.group(0).split("@", 1)[0])
        tokens = [t for t in _LOCAL_SPLIT_RE.split(local) if t]
        joined = "".join(tokens)
        if any(len(t) >= 3 and t in names for t in tokens):
            return True
        if len(names) >= 2:
            first, last = names[0], names[-1]
            # jdoe, janedoe, janed, doej, doejane, jrdoe, doeja (surname and two letters)
            if joined in (first[0] + last, first + last, first + last[0], last + first[0],
                          last + first, first[0] + "".join(names[1:]), last + first[:2]):
                return True
        elif len(names[0]) >= 3 and joined == names[0]:
            return True
    return False

# ---- judging a candidate ----------------------------------------------------------------


# Around a first name written in lower case in a chat (the name itself is a reliable first name
# and no word of English or code): what someone did or will do, and a few words before
_LOWER_AGENT_AFTER_RE = re.compile(
    _ADVERBS + r"\s+(?:" + _OTHER_VERBS + r"|broke|added|removed|changed|updated|reverted|wrote"
    r"|will|would|can|could|should|might|is|was|has|had|did|does|knows|needs|wants)\b")
_LOWER_BEFORE_RE = _from_end(re.compile(
    r"(?<![\w])(?:blame|probably|maybe|prob|unless|can|could|will|did|does|should|let)\s+$"))


def person_context(text: str, s: int, e: int) -> bool:
    """A personal phrase, a greeting, an address or a timestamped chat line's speaker
    (``[10:02] priya: ..``) around ``text[s:e]``."""
    before = text[max(0, s - LOOK):s]
    after = text[e:e + LOOK]
    if (before[-1:].isspace() and _VERB_BEFORE_RE.search(before)) or \
            _HUMAN_AFTER_RE.match(after) or (
            _GREETING_RE.search(before) and _GREETING_AFTER_RE.match(after)) or \
            _EMAIL_AFTER_RE.match(after) or _POSSESSIVE_RE.match(after) or \
            _LOWER_AGENT_AFTER_RE.match(after) or _LOWER_BEFORE_RE.search(before):
        return True
    line = before[before.rfind("\n") + 1:]
    chat = _CHAT_BEFORE_RE.match(line)
    # the speaker of a chat line: a time before it (a bare "word:" opens a YAML key as often)
    return bool(chat and chat.group(1) and _CHAT_AFTER_RE.match(after))


def _row_has_contact(line: str) -> bool:
    """The line holds an e-mail address or a phone number (a record of a person)."""
    return ("@" in line and _EMAIL_RE.search(line) is not None) or (
        _PHONE_RE.search(line) is not None
    )


# Around a capitalised first name alone (a reliable one, no word of English or code): the
# looser phrases of a chat that name someone
_CHAT_NAME_BEFORE_RE = re.compile(
    r"(?i:(?<![\w])(?:waiting\s+(?:on|for)|blocked\s+(?:on|by)|depends\s+on|per|via|nice\s+one"
    r"|good\s+catch|great\s+(?:work|job)|well\s+done|hand(?:ed|ing)?\s+(?:it\s+)?over\s+to"
    r"|covering\s+for|on\s+behalf\s+of|lol|haha|sorry|welcome\s+back|congrats"
    # "with" and "to" of the languages of the users: mit Antje, avec Rémy, con Alcides, com
    # Emilly, met Femke, z Jackiem, với Nhiên, dengan Rahayu; Obrigado a Melina, Grazie a ..
    r"|with|mit|avec|con|com|met|z|ze|s|se|с|со|з|із|v[ớo]i|dengan|kepada|ke"
    r"|(?:obrigad[oa]|grazie|gracias|merci)\s+(?:a|[àa]|ao|al)|dank(?:e|je)?\s+(?:an|aan|je)"
    r")[,!]?\s+$)")
_CHAT_NAME_BEFORE_RE = _from_end(_CHAT_NAME_BEFORE_RE)
_CHAT_NAME_AFTER_RE = re.compile(
    r"['’]s\s+\w|,\s+(?:can|could|would|will|please|pls|any|do|did|are|is)\b|\s+\((?:she|he|they)/"
    r"|\s+\([A-Z]{2,5}\)|\s+from\s+(?:the\s+)?[a-z]+(?:\s+team)?\b|[ \t]*[?!]"
    r"|\s+(?:still|also)\s+\w+s\b"
    r"|\s+(?:&|and|or)\s+\p{Lu}\p{Ll}+\s+(?:are|were|will|can|have|had)\b")


# the start of a line, a chat message ("[09:10] Leoš Pavlíček: "), an item of notes ("- "), a
# sentence or a clause, before
# a first name that a lower-case word follows: the one who did something, in any language
# ("Zdislava včera vrátila nasazení", "Fedde checkt de timeouts")
_MESSAGE_START_RE = re.compile(
    r"[ \t>]*(?:\[?(?:\d{4}-\d\d-\d\d[ T])?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]*[^:\n]{1,40}:[ \t]+"
    r"|[-*•][ \t]+"
    # a sentence or a clause of its line ("… wdrożenie. Jacek wycofał", ", Виктор не против")
    r"|[^\n]*?\p{L}[.!?,;][ \t]+"
    r"|)")  # or the line itself
_LOWER_WORD_AFTER_RE = re.compile(r"[ \t]+\p{Ll}")
_VOCATIVE_END_RE = re.compile(r"[.!?]*[ \t]*(?:\r?\n|$)")


def chat_context(text: str, s: int, e: int) -> bool:
    """The looser phrases around a capitalised first name alone in a chat: ``waiting on Ilse``,
    ``Kasimir, can you``, ``Dorotea's on it``, ``Dorotea (SRE)``, ``Ilse from billing``, and
    the subject that opens a message or an item of notes."""
    before = text[max(0, s - 40):s]
    if _CHAT_NAME_BEFORE_RE.search(before) or _CHAT_NAME_AFTER_RE.match(text, e):
        return True
    # the one addressed at the end of a sentence: "Vielen Dank für die Analyse, Knud."
    if before.endswith(", ") and _VOCATIVE_END_RE.match(text, e):
        return True
    return message_start(text, s, e)


def message_start(text: str, s: int, e: int) -> bool:
    """``text[s:e]`` opens a chat message or an item of notes, and a lower-case word follows."""
    ls = text.rfind("\n", max(0, s - 80), s) + 1
    if ls == 0 and s > 80:
        ls = s - 80  # a long line: its last 80 characters
    return bool(_LOWER_WORD_AFTER_RE.match(text, e) and _MESSAGE_START_RE.fullmatch(text, ls, s))
